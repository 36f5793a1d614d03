from app.schemas_base import Out


class CategoryOut(Out):
    code: str
    name_zh: str
    name_en: str


class SkillOut(Out):
    code: str
    name_zh: str
    name_en: str
    certificate_required: bool


class CatalogueEntryOut(Out):
    category: str
    service_type: str
    skills: list[str]
    duration_minutes: int
    base_price_cents: int
    title_zh: str
    title_en: str
