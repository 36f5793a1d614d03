from fastapi import APIRouter
from sqlalchemy import select

from app.auth import SessionDep
from app.catalogue import service
from app.catalogue.models import ApplianceCategory, Skill
from app.catalogue.schemas import CatalogueEntryOut, CategoryOut, SkillOut

router = APIRouter(prefix="/v1/catalogue", tags=["catalogue"])


@router.get("", response_model=list[CatalogueEntryOut])
def list_catalogue(session: SessionDep):
    return service.list_entries(session)


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(session: SessionDep):
    return list(session.scalars(select(ApplianceCategory).order_by(ApplianceCategory.code)))


@router.get("/skills", response_model=list[SkillOut])
def list_skills(session: SessionDep):
    return list(session.scalars(select(Skill).order_by(Skill.code)))
