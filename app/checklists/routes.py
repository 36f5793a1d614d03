from fastapi import APIRouter

router = APIRouter(tags=["checklists"])

# every router of this domain; app/main.py includes them all
routers = [router]
