from fastapi import APIRouter

router = APIRouter(tags=["sla"])

# every router of this domain; app/main.py includes them all
routers = [router]
