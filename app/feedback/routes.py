from fastapi import APIRouter

router = APIRouter(tags=["feedback"])

# every router of this domain; app/main.py includes them all
routers = [router]
