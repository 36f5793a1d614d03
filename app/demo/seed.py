"""Load the catalogue and, on an empty database, a realistic demo city (Hangzhou) to try every role.

Demo credentials are fixed so the README can list them; they are for the embedded demo only.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actors import Actor
from app.catalogue.service import catalogue_data
from app.clients.models import ApiKey, Client
from app.demo.city import DISTRICTS, STREETS, TIMEZONE, districts_multipolygon
from app.geo import multipolygon_from_geojson, point
from app.jobs.service import create_jobs_for_order
from app.orders.models import Order, OrderAppliance, OrderWindow
from app.reference import load_reference_data
from app.security import hash_password, sha256
from app.technicians.models import ProviderCompany, Technician, TechnicianSkill, WeeklyShift
from app.users.models import User


@dataclass(frozen=True)
class DemoCredentials:
    admin: tuple[str, str] = ("admin", "shifu-admin-demo")
    dispatcher: tuple[str, str] = ("dispatcher", "shifu-dispatch-demo")
    technician: tuple[str, str] = ("13900000001", "shifu-tech-demo")
    brand_key: str = "sk_demo_midea_0123456789abcdefghijklmnopqrstuv"
    shop_key: str = "sk_demo_suning_0123456789abcdefghijklmnopqrstu"


DEMO = DemoCredentials()

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
TRADES = {
    "ac": ["ac_install", "ac_repair", "refrigerant", "work_at_height"],
    "kitchen": ["hood_install", "hood_repair", "dishwasher_install", "dishwasher_repair", "gas_appliance"],
    "water": ["water_heater_install", "water_heater_repair", "purifier_install", "purifier_repair", "electrician"],
    "laundry": ["washer_install", "washer_repair", "fridge_repair", "refrigerant"],
    "av": ["tv_install", "tv_repair", "small_appliance_repair"],
    "delivery": ["delivery"],
}
ORDER_MIX = [
    ("repair", "air_conditioner"), ("install", "air_conditioner"), ("delivery_install", "air_conditioner"),
    ("repair", "washing_machine"), ("maintenance", "air_conditioner"), ("install", "water_heater"),
    ("install", "water_purifier"), ("repair", "refrigerator"), ("install", "tv"), ("delivery", "refrigerator"),
    ("install", "range_hood"), ("repair", "dishwasher"), ("uninstall", "air_conditioner"), ("repair", "small_appliance"),
]
WINDOWS = [(9, 11), (11, 13), (14, 16), (16, 18), (18, 20)]
# A brand and model that fit the appliance ({n} takes a size), so a technician's card reads like a real one.
MODELS = {
    "air_conditioner": ("美的", "KFR-{n}GW"), "washing_machine": ("小天鹅", "TG{n}0V88WMADY"),
    "water_heater": ("美的", "F60{n}-JE5"), "water_purifier": ("美的", "MRO{n}8-600G"),
    "refrigerator": ("美的", "BCD-{n}9WTPZM"), "tv": ("海信", "{n}E3H"), "range_hood": ("美的", "CXW-2{n}-J25"),
    "dishwasher": ("美的", "RX{n}"), "small_appliance": ("美的", "MB-FB{n}"),
}


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) == 0


def seed_demo(session: Session, technicians: int = 60, orders: int = 40, seed: int = 7) -> dict:
    rng = random.Random(seed)
    tz = ZoneInfo(TIMEZONE)
    for role, (username, password) in (("admin", DEMO.admin), ("dispatcher", DEMO.dispatcher)):
        session.add(User(username=username, password_hash=hash_password(password), role=role,
                         display_name={"admin": "管理员", "dispatcher": "调度员"}[role]))
    brand = Client(name="美的 Midea (demo brand)", kind="brand", dispatch_mode="assign")
    shop = Client(name="苏宁 Suning (demo shop)", kind="shop", dispatch_mode="grab")
    session.add_all([brand, shop])
    session.flush()
    session.add(ApiKey(client_id=brand.id, name="demo", key_hash=sha256(DEMO.brand_key), prefix=DEMO.brand_key[:10]))
    session.add(ApiKey(client_id=shop.id, name="demo", key_hash=sha256(DEMO.shop_key), prefix=DEMO.shop_key[:10]))
    providers = [ProviderCompany(name=n) for n in ("杭州安家家电服务有限公司", "浙江快修师傅网络科技", "钱江售后服务中心")]
    session.add_all(providers)
    session.flush()

    codes = list(DISTRICTS)
    today = datetime.now(tz).date()
    techs = []
    for i in range(technicians):
        home = codes[i % len(codes)]
        x0, y0, x1, y1 = DISTRICTS[home][2]
        neighbour = codes[(i + 1) % len(codes)]
        trades = rng.sample(list(TRADES), k=2 if i % 3 else 1)
        skills = sorted({s for t in trades for s in TRADES[t]} | {"delivery"} if i % 5 == 0 else {s for t in trades for s in TRADES[t]})
        tech = Technician(
            name=f"{SURNAMES[i % len(SURNAMES)]}师傅{i + 1:02d}",
            phone=f"139{i + 1:08d}",
            provider_id=providers[i % len(providers)].id,
            home_base=point(round(rng.uniform(x0, x1), 5), round(rng.uniform(y0, y1), 5)),
            service_area=multipolygon_from_geojson(districts_multipolygon([home, neighbour]), "service_area"),
            on_duty=i % 4 != 0,
            quality_score=round(rng.uniform(0.6, 0.98), 2),
        )
        for s in skills:
            cert = next((c for c in catalogue_data()["skills"] if c["code"] == s), {}).get("certificate_required")
            # Every seventh technician lets one certificate lapse, so the demo shows the exclusion.
            until = (today - timedelta(days=10)) if cert and i % 7 == 3 else (today + timedelta(days=365) if cert else None)
            tech.skills.append(TechnicianSkill(
                skill=s, certificate_name=f"{s} 上岗证" if cert else None,
                certificate_number=f"ZJ{i:04d}{s[:3].upper()}" if cert else None, valid_until=until,
            ))
        for wd in range(6 if i % 2 else 7):
            tech.shifts.append(WeeklyShift(weekday=(wd + i) % 7, start_minute=8 * 60, end_minute=19 * 60))
        session.add(tech)
        techs.append(tech)
    session.flush()
    t0 = techs[0]
    # One hash for the shared demo password: at production scrypt cost, 60 would take half a minute.
    tech_hash = hash_password(DEMO.technician[1])
    session.add(User(username=DEMO.technician[0], password_hash=tech_hash,
                     role="technician", display_name=t0.name, technician_id=t0.id))
    for t in techs[1:]:
        session.add(User(username=t.phone, password_hash=tech_hash, role="technician",
                         display_name=t.name, technician_id=t.id))

    tomorrow = today + timedelta(days=1)
    for n in range(orders):
        service_type, category = ORDER_MIX[n % len(ORDER_MIX)]
        code = codes[n % len(codes)]
        x0, y0, x1, y1 = DISTRICTS[code][2]
        h0, h1 = WINDOWS[rng.randrange(len(WINDOWS))]
        start = datetime.combine(tomorrow, time(h0), tz)
        order = Order(
            client_id=(brand if n % 3 else shop).id, external_order_id=f"DEMO-{n + 1:04d}", service_type=service_type,
            urgency="urgent" if n % 9 == 0 else "normal",
            contact_name=f"{SURNAMES[(n * 3) % len(SURNAMES)]}先生" if n % 2 else f"{SURNAMES[(n * 5) % len(SURNAMES)]}女士",
            contact_phone=f"138{n:08d}",
            address=f"杭州市{DISTRICTS[code][0]}{rng.choice(STREETS[code])}{rng.randint(1, 400)}号",
            location=point(round(rng.uniform(x0, x1), 5), round(rng.uniform(y0, y1), 5)),
            notes="演示订单 demo order",
        )
        brand_name, model = MODELS.get(category, ("美的", "{n}"))
        order.appliances = [OrderAppliance(position=0, category=category, brand=brand_name,
                                           model=model.format(n=rng.randint(26, 72)), serial=f"SN{seed}{n:06d}",
                                           purchase_date=today - timedelta(days=rng.randint(10, 900)))]
        order.windows = [OrderWindow(start=start, end=start + timedelta(hours=h1 - h0))]
        session.add(order)
        session.flush()
        create_jobs_for_order(session, order, Actor("client", str(order.client_id)))
    session.flush()
    return {"technicians": technicians, "orders": orders, "districts": len(DISTRICTS)}


def ensure_loaded(session: Session, demo: bool = True) -> dict | None:
    """Load the reference data (always) and the demo city (only into an empty database)."""

    load_reference_data(session)
    if demo and is_empty(session):
        return seed_demo(session)
    return None
