from fastapi import APIRouter

router = APIRouter(tags=["pricing"])

# every router of this domain; app/main.py includes them all
routers = [router]
