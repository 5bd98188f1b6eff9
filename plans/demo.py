"""Demo data for development plans: the staff development plan FY 2564–2566 of the demo
อบต., linked to its manpower plan, approved by the demo executive and published, with
eighteen projects over all five development areas and every method; then a draft
revision of it with one project added, one changed and one narrative part rewritten.
FY 2565 of the plan is followed, and its 6-month and annual reports issued.
Called by :func:`portal.demo.demo_seed` after the staff and skills demo data.

Two gaps are left on purpose, for the coverage checks to find: no project develops
digital governance (DG, the skills demo's organisation-wide gap), and nothing planned
for FY 2565 reaches the general contract employees outside the disaster unit.

Every record is keyed on a natural key (plan period and revision, project name), so
running the seed again updates the same records. The projects are the portal's own
examples for a small อบต.; budgets are plausible, not taken from any real plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from plans.audience import organization_audience_refresh
from plans.choices import Area, Method, Provider
from plans.models import DevelopmentPlan, PlanStep, Project, ProjectYear
from plans.texts import default_texts
from portal.models import Organization
from portal.revisions import approval_moment
from skills.models import Domain, PersonnelGroup
from staff.choices import Level, PersonnelType, PositionType
from staff.demo import UNITS
from staff.models import ManpowerPlan, StaffMember, Unit

FIRST_FY = 2564
TITLE = "แผนพัฒนาบุคลากร ประจำปีงบประมาณ พ.ศ. 2564 – 2566"
FRAMEWORK = "ocsc-2561"

OFFICIAL = PersonnelType.LOCAL_OFFICIAL
TEACHER = PersonnelType.TEACHER
EDUCATION = PersonnelType.EDUCATION_PERSONNEL
PERMANENT = PersonnelType.PERMANENT_EMPLOYEE
MISSION = PersonnelType.MISSION_EMPLOYEE
GENERAL_EMPLOYEE = PersonnelType.GENERAL_EMPLOYEE
EVERYONE = (OFFICIAL, TEACHER, EDUCATION, PERMANENT, MISSION, GENERAL_EMPLOYEE)


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


SUBMITTED_AT = _at(2020, 9, 18)
PROPOSED_AT = _at(2020, 9, 21)
APPROVED_AT = _at(2020, 9, 28)
PUBLISHED_AT = _at(2020, 10, 1)
SENT_BACK_REASON = (
    "โปรดเพิ่มโครงการพัฒนาทักษะดิจิทัลสำหรับพนักงานจ้าง และระบุตัวชี้วัดของแต่ละโครงการให้ชัดเจนก่อนเสนอนายก"
)


@dataclass(frozen=True)
class DemoProject:
    name: str
    area: str
    methods: tuple[str, ...]
    objectives: str
    indicators: str
    expected_result: str
    responsible_unit: str  # a key of staff.demo.UNITS
    provider: str = Provider.IN_HOUSE
    provider_name: str = ""
    is_digital: bool = False
    domains: tuple[str, ...] = ()  # codes in ocsc-2561
    personnel_types: tuple[str, ...] = ()
    position_types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # keys of staff.demo.UNITS
    groups: tuple[str, ...] = ()  # codes in ocsc-2561
    people: tuple[str, ...] = ()  # "first last" of staff.demo.PEOPLE
    #: FY → (budget in baht, quarters); a year left out is not planned.
    years: dict[int, tuple[int, tuple[int, ...]]] = field(default_factory=dict)


ALL_YEAR = (1, 2, 3, 4)
P = DemoProject
PROJECTS = [
    # ด้านความรู้ทั่วไปในการปฏิบัติงาน
    P(
        "โครงการปฐมนิเทศพนักงานใหม่",
        Area.GENERAL,
        (Method.ORIENTATION, Method.COACHING),
        "1. เพื่อให้ผู้เริ่มงานใหม่รู้จักโครงสร้าง ภารกิจ และระเบียบพื้นฐานของ อบต.\n"
        "2. เพื่อให้มีพี่เลี้ยงดูแลในช่วงสามเดือนแรกของการทำงาน",
        "ผู้เริ่มงานใหม่ทุกคนผ่านการปฐมนิเทศภายใน 30 วันนับจากวันที่เริ่มงาน",
        "ผู้เริ่มงานใหม่ปรับตัวได้เร็วและปฏิบัติงานได้ถูกต้องตั้งแต่เริ่มต้น",
        "personnel",
        people=("ณัฐพล มีสุข", "รัตนา สายสุด", "สมหมาย บุญส่ง", "ธิดารัตน์ ใจงาม", "ปิยะนุช สมบูรณ์"),
        years={2564: (5000, (1,)), 2565: (5000, (1,)), 2566: (5000, (1,))},
    ),
    P(
        "โครงการอบรมระเบียบการเงินการคลังและการจัดซื้อจัดจ้างภาครัฐ",
        Area.GENERAL,
        (Method.TRAINING,),
        "1. เพื่อให้ผู้ปฏิบัติงานเข้าใจระเบียบการเบิกจ่ายเงินและการจัดซื้อจัดจ้างที่แก้ไขใหม่\n"
        "2. เพื่อลดข้อทักท้วงจากการตรวจสอบของสำนักงานการตรวจเงินแผ่นดิน",
        "ผู้เข้าอบรมผ่านแบบทดสอบหลังอบรมไม่น้อยกว่าร้อยละ 80",
        "การเบิกจ่ายและการจัดซื้อจัดจ้างถูกต้องตามระเบียบ ข้อทักท้วงลดลง",
        "finance",
        provider=Provider.OTHER,
        provider_name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดสมุทรสงคราม",
        units=("finance",),
        people=("อรุณี ทองคำ", "วิรัตน์ แสงทอง", "นิตยา พรหมมา"),
        years={2564: (30000, (2,)), 2565: (30000, (2,)), 2566: (35000, (2,))},
    ),
    P(
        "โครงการอบรมการคุ้มครองข้อมูลส่วนบุคคลในงานบริการประชาชน",
        Area.GENERAL,
        (Method.TRAINING, Method.WORKSHOP),
        "1. เพื่อให้บุคลากรรู้หน้าที่ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562\n"
        "2. เพื่อให้เก็บ ใช้ และเปิดเผยข้อมูลของประชาชนอย่างปลอดภัย",
        "ทุกกองจัดทำบันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคลของกองได้",
        "ประชาชนมั่นใจว่าข้อมูลที่ให้ไว้กับ อบต. ได้รับการดูแลอย่างปลอดภัย",
        "legal",
        is_digital=True,
        domains=("DL",),
        personnel_types=(OFFICIAL, MISSION),
        years={2565: (15000, (3,)), 2566: (15000, (3,))},
    ),
    P(
        "หลักสูตรทักษะดิจิทัลสำหรับบุคลากรภาครัฐผ่านระบบการเรียนรู้ออนไลน์ของสำนักงาน ก.พ.",
        Area.GENERAL,
        (Method.ELEARNING,),
        "1. เพื่อให้บุคลากรเรียนทักษะดิจิทัลพื้นฐานได้ด้วยตนเองตามเวลาที่สะดวก\n"
        "2. เพื่อปิดช่องว่างทักษะดิจิทัลที่พบจากการประเมินตนเอง",
        "บุคลากรกลุ่มเป้าหมายเรียนจบและได้รับวุฒิบัตรอย่างน้อยคนละ 1 หลักสูตรต่อปี",
        "บุคลากรใช้เครื่องมือดิจิทัลในงานประจำได้คล่องขึ้น",
        "personnel",
        provider=Provider.ELEARNING,
        is_digital=True,
        domains=("DL", "DT"),
        personnel_types=(OFFICIAL, TEACHER, EDUCATION, MISSION),
        years={2564: (0, ALL_YEAR), 2565: (0, ALL_YEAR), 2566: (0, ALL_YEAR)},
    ),
    P(
        "การประชุมประจำเดือนและการแลกเปลี่ยนเรียนรู้",
        Area.GENERAL,
        (Method.MEETING,),
        "1. เพื่อแจ้งนโยบาย ระเบียบ และข้อสั่งการใหม่ให้ทุกคนรับทราบพร้อมกัน\n"
        "2. เพื่อให้บุคลากรแลกเปลี่ยนความรู้และวิธีทำงานที่ได้ผลระหว่างกอง",
        "จัดประชุมครบ 12 ครั้งต่อปี และมีองค์ความรู้ที่บันทึกไว้อย่างน้อย 4 เรื่องต่อปี",
        "การทำงานระหว่างกองประสานกันดีขึ้น ความรู้ไม่หายไปเมื่อมีผู้ย้ายออก",
        "admin",
        personnel_types=(OFFICIAL, TEACHER, EDUCATION, MISSION),
        years={2564: (6000, ALL_YEAR), 2565: (6000, ALL_YEAR), 2566: (6000, ALL_YEAR)},
    ),
    # ด้านความรู้และทักษะเฉพาะของงานในแต่ละตำแหน่ง
    P(
        "หลักสูตรตามสายงานของสถาบันพัฒนาบุคลากรท้องถิ่น",
        Area.SPECIFIC,
        (Method.TRAINING,),
        "1. เพื่อให้พนักงานส่วนตำบลสายงานวิชาการและอำนวยการได้รับการพัฒนาตามหลักสูตรของสายงาน\n"
        "2. เพื่อเตรียมความพร้อมก่อนเลื่อนระดับตำแหน่ง",
        "ผู้มีสิทธิ์เข้ารับการอบรมตามแผนได้เข้าอบรมไม่น้อยกว่าร้อยละ 80",
        "ผู้ผ่านการอบรมนำความรู้ตามสายงานมาปรับปรุงงานของตน",
        "personnel",
        provider=Provider.DLA_INSTITUTE,
        personnel_types=(OFFICIAL,),
        position_types=(PositionType.ACADEMIC, PositionType.DIRECTOR),
        years={2564: (120000, (2, 3)), 2565: (150000, (2, 3)), 2566: (150000, (2, 3))},
    ),
    P(
        "โครงการอบรมการประมาณราคาและการควบคุมงานก่อสร้าง",
        Area.SPECIFIC,
        (Method.TRAINING, Method.STUDY_VISIT),
        "1. เพื่อให้บุคลากรกองช่างประมาณราคากลางงานก่อสร้างได้ถูกต้องตามหลักเกณฑ์\n"
        "2. เพื่อให้การควบคุมงานเป็นไปตามแบบและสัญญา",
        "ราคากลางที่กองช่างจัดทำไม่มีข้อทักท้วงเรื่องการคำนวณ",
        "งานก่อสร้างของ อบต. มีคุณภาพ คุ้มค่า และตรวจสอบได้",
        "works",
        provider=Provider.OTHER,
        provider_name="สำนักงานโยธาธิการและผังเมืองจังหวัดสมุทรสงคราม",
        units=("works",),
        position_types=(PositionType.DIRECTOR, PositionType.GENERAL),
        years={2565: (25000, (3,)), 2566: (25000, (3,))},
    ),
    P(
        "โครงการพัฒนาครูและผู้ดูแลเด็กด้านการจัดประสบการณ์การเรียนรู้ปฐมวัย",
        Area.SPECIFIC,
        (Method.WORKSHOP,),
        "1. เพื่อให้ครูและผู้ดูแลเด็กจัดกิจกรรมการเรียนรู้ตามหลักสูตรการศึกษาปฐมวัยได้\n"
        "2. เพื่อยกระดับศูนย์พัฒนาเด็กเล็กให้ผ่านมาตรฐาน",
        "ครูและผู้ดูแลเด็กทุกคนจัดทำแผนการจัดประสบการณ์ได้ครบทุกหน่วยการเรียนรู้",
        "เด็กเล็กมีพัฒนาการสมวัยตามแบบประเมิน",
        "education",
        provider=Provider.OTHER,
        provider_name="กรมส่งเสริมการปกครองท้องถิ่น",
        units=("childcare",),
        years={2564: (20000, (4,)), 2565: (20000, (4,)), 2566: (20000, (4,))},
    ),
    P(
        "การสอนงานโดยพี่เลี้ยงสำหรับพนักงานจ้าง",
        Area.SPECIFIC,
        (Method.COACHING,),
        "1. เพื่อให้พนักงานจ้างตามภารกิจเรียนรู้งานจากผู้ที่มีประสบการณ์ในกองของตน\n"
        "2. เพื่อให้มีผู้ปฏิบัติงานแทนกันได้ในงานสำคัญ",
        "พนักงานจ้างทุกคนมีพี่เลี้ยงและผ่านการประเมินการสอนงานปีละ 1 ครั้ง",
        "งานบริการประชาชนไม่สะดุดเมื่อผู้รับผิดชอบหลักไม่อยู่",
        "personnel",
        personnel_types=(MISSION,),
        years={2564: (0, ALL_YEAR), 2565: (0, ALL_YEAR), 2566: (0, ALL_YEAR)},
    ),
    P(
        "โครงการฝึกอบรมการป้องกันและบรรเทาสาธารณภัยและการปฐมพยาบาลเบื้องต้น",
        Area.SPECIFIC,
        (Method.TRAINING, Method.OTHER),
        "1. เพื่อให้เจ้าหน้าที่และพนักงานขับรถพร้อมรับเหตุอัคคีภัยและอุบัติเหตุในพื้นที่\n"
        "2. เพื่อฝึกซ้อมแผนป้องกันและบรรเทาสาธารณภัยร่วมกับอาสาสมัคร",
        "ฝึกซ้อมแผนปีละ 1 ครั้ง และผู้เข้าอบรมปฐมพยาบาลเบื้องต้นได้ถูกวิธี",
        "ออกปฏิบัติงานได้รวดเร็วและปลอดภัย ลดความสูญเสียของประชาชน",
        "disaster",
        provider=Provider.OTHER,
        provider_name="ศูนย์ป้องกันและบรรเทาสาธารณภัย เขต 12",
        units=("disaster",),
        people=("บุญมี จันทร์หอม", "ดำรง คงดี"),
        years={2564: (20000, (3,)), 2565: (20000, (3,)), 2566: (20000, (3,))},
    ),
    # ด้านการบริหาร
    P(
        "หลักสูตรภาวะผู้นำและการบริหารเชิงกลยุทธ์สำหรับผู้บริหารท้องถิ่น",
        Area.MANAGEMENT,
        (Method.TRAINING,),
        "1. เพื่อพัฒนาภาวะผู้นำและการนำองค์กรสู่การเปลี่ยนแปลงด้วยข้อมูลและดิจิทัล\n"
        "2. เพื่อให้ผู้บริหารวางแผนและติดตามโครงการได้อย่างเป็นระบบ",
        "ผู้บริหารทุกคนผ่านหลักสูตรอย่างน้อย 1 หลักสูตรภายในระยะเวลาของแผน",
        "แผนพัฒนาท้องถิ่นและการติดตามผลโครงการใช้ข้อมูลประกอบการตัดสินใจ",
        "personnel",
        provider=Provider.DLA_INSTITUTE,
        is_digital=True,
        domains=("LEAD", "SPM"),
        position_types=(PositionType.EXECUTIVE, PositionType.DIRECTOR),
        years={2564: (60000, (1,)), 2566: (60000, (1,))},
    ),
    P(
        "โครงการศึกษาดูงานการให้บริการประชาชนแบบออนไลน์ ณ องค์กรปกครองส่วนท้องถิ่นต้นแบบ",
        Area.MANAGEMENT,
        (Method.STUDY_VISIT,),
        "1. เพื่อเรียนรู้การออกแบบบริการออนไลน์ของท้องถิ่นที่ทำได้ผล\n"
        "2. เพื่อนำมาจัดทำแผนให้บริการออนไลน์ของ อบต. อย่างน้อย 3 งานบริการ",
        "มีแผนเปิดบริการออนไลน์ที่ผู้บริหารอนุมัติภายใน 3 เดือนหลังดูงาน",
        "ประชาชนติดต่อ อบต. ได้หลายช่องทางโดยไม่ต้องเดินทางมาที่สำนักงาน",
        "policy",
        provider=Provider.OTHER,
        provider_name="เทศบาลต้นแบบด้านการให้บริการออนไลน์ (จัดโดย อบต.)",
        is_digital=True,
        domains=("DPSD", "DT"),
        groups=("EXEC", "MGMT"),
        people=("ณัฐพล มีสุข",),
        years={2565: (150000, (2,))},
    ),
    P(
        "โครงการประชุมเชิงปฏิบัติการการบริหารความเสี่ยงและการควบคุมภายใน",
        Area.MANAGEMENT,
        (Method.WORKSHOP,),
        "1. เพื่อให้ผู้อำนวยการกองประเมินความเสี่ยงและจัดทำแผนควบคุมภายในของกองได้\n"
        "2. เพื่อให้รายงานการควบคุมภายในส่งได้ครบและตรงเวลา",
        "ทุกกองส่งรายงานการประเมินผลการควบคุมภายในภายในกำหนด",
        "ความเสี่ยงสำคัญของ อบต. มีผู้รับผิดชอบและมาตรการจัดการ",
        "audit",
        position_types=(PositionType.DIRECTOR,),
        people=("กาญจนา ศรีเมือง",),
        years={2564: (10000, (3,)), 2565: (10000, (3,)), 2566: (10000, (3,))},
    ),
    P(
        "โครงการสัมมนาการวางแผนและบริหารโครงการด้วยเครื่องมือดิจิทัล",
        Area.MANAGEMENT,
        (Method.WORKSHOP,),
        "1. เพื่อให้ผู้วางแผนและผู้รับผิดชอบโครงการใช้เครื่องมือดิจิทัลติดตามความก้าวหน้าได้\n"
        "2. เพื่อให้รายงานผลโครงการจัดทำได้เร็วและถูกต้อง",
        "ทุกโครงการในแผนดำเนินงานมีการติดตามผลผ่านระบบเดียวกัน",
        "ผู้บริหารเห็นความก้าวหน้าของโครงการได้ทันที",
        "policy",
        is_digital=True,
        domains=("SPM",),
        groups=("MGMT", "ACAD"),
        years={2566: (30000, (2,))},
    ),
    # ด้านคุณสมบัติส่วนตัว
    P(
        "โครงการอบรมการสื่อสารและการให้บริการด้วยใจ",
        Area.PERSONAL,
        (Method.TRAINING, Method.WORKSHOP),
        "1. เพื่อพัฒนาทักษะการสื่อสารและการรับเรื่องจากประชาชนอย่างสุภาพ\n2. เพื่อลดเรื่องร้องเรียนเกี่ยวกับการให้บริการ",
        "ความพึงพอใจของผู้รับบริการไม่น้อยกว่าร้อยละ 90",
        "ประชาชนได้รับบริการที่เป็นมิตร รวดเร็ว และถูกต้อง",
        "admin",
        groups=("SERV",),
        years={2564: (15000, (2,)), 2565: (15000, (2,))},
    ),
    P(
        "โครงการส่งเสริมการศึกษาต่อของบุคลากร",
        Area.PERSONAL,
        (Method.FURTHER_STUDY,),
        "1. เพื่อสนับสนุนบุคลากรที่มีศักยภาพให้ศึกษาต่อในสาขาที่ตรงกับงาน\n2. เพื่อเตรียมผู้สืบทอดตำแหน่งในอนาคต",
        "ผู้ได้รับการสนับสนุนสำเร็จการศึกษาตามกำหนดเวลา",
        "อบต. มีบุคลากรที่มีความรู้เฉพาะทางเพิ่มขึ้น",
        "personnel",
        provider=Provider.OTHER,
        provider_name="มหาวิทยาลัยราชภัฏบ้านสมเด็จเจ้าพระยา",
        people=("ธนพล ศรีวงศ์", "ปวีณา ทองดี"),
        years={2565: (40000, (1,)), 2566: (40000, (1,))},
    ),
    # ด้านคุณธรรมและจริยธรรม
    P(
        "โครงการอบรมคุณธรรมจริยธรรมและการต่อต้านการทุจริต",
        Area.ETHICS,
        (Method.TRAINING, Method.OTHER),
        "1. เพื่อปลูกฝังความซื่อสัตย์สุจริตและการแยกแยะประโยชน์ส่วนตนกับประโยชน์ส่วนรวม\n"
        "2. เพื่อสนับสนุนการประเมินคุณธรรมและความโปร่งใส (ITA) ของ อบต.",
        "ผู้เข้าร่วมไม่น้อยกว่าร้อยละ 90 ของบุคลากรทั้งหมด",
        "บุคลากรปฏิบัติงานอย่างโปร่งใส ผลการประเมิน ITA ดีขึ้น",
        "personnel",
        personnel_types=EVERYONE,
        years={2564: (40000, (1,)), 2566: (40000, (1,))},
    ),
    P(
        "กิจกรรมเสริมสร้างวินัยและการปฏิบัติตามประมวลจริยธรรม",
        Area.ETHICS,
        (Method.MEETING, Method.OTHER),
        "1. เพื่อทบทวนประมวลจริยธรรมและข้อห้ามทางวินัยที่พบบ่อย\n"
        "2. เพื่อประกาศเจตนารมณ์ไม่รับของขวัญและของกำนัลทุกชนิด",
        "ไม่มีการร้องเรียนเรื่องการฝ่าฝืนประมวลจริยธรรมในปีงบประมาณ",
        "บุคลากรรู้และปฏิบัติตามประมวลจริยธรรม",
        "personnel",
        personnel_types=(OFFICIAL, TEACHER, EDUCATION),
        years={2565: (5000, (3,))},
    ),
]

#: The draft revision 1: one project added, one changed, the targets rewritten.
ADDED_IN_REVISION = P(
    "โครงการอบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์และการลงลายมือชื่ออิเล็กทรอนิกส์",
    Area.GENERAL,
    (Method.TRAINING, Method.WORKSHOP),
    "1. เพื่อให้บุคลากรรับ–ส่งหนังสือราชการผ่านระบบสารบรรณอิเล็กทรอนิกส์ได้\n"
    "2. เพื่อลดการใช้กระดาษและเวลาในการเวียนหนังสือ",
    "หนังสือราชการภายในเวียนผ่านระบบอิเล็กทรอนิกส์ไม่น้อยกว่าร้อยละ 80",
    "งานสารบรรณรวดเร็ว ค้นหาหนังสือย้อนหลังได้ทันที",
    "admin",
    is_digital=True,
    domains=("DT", "DL"),
    personnel_types=(OFFICIAL, MISSION),
    years={2566: (12000, (2,))},
)
CHANGED_IN_REVISION = "หลักสูตรตามสายงานของสถาบันพัฒนาบุคลากรท้องถิ่น"
CHANGED_YEARS = {2564: (120000, (2, 3)), 2565: (150000, (2, 3)), 2566: (180000, (2, 3, 4))}
TARGETS_ADDED = (
    "4. บุคลากรทุกคนได้รับการพัฒนาทักษะดิจิทัลไม่น้อยกว่า 20 ชั่วโมงต่อคนต่อปี "
    "(เพิ่มในฉบับแก้ไข เพื่อรองรับการให้บริการออนไลน์)\n"
)


@dataclass
class _Lookups:
    units: dict[str, Unit]
    domains: dict[str, Domain]
    groups: dict[str, PersonnelGroup]
    people: dict[str, StaffMember]

    @classmethod
    def load(cls, organization: Organization) -> _Lookups:
        by_name = {
            (unit.parent.name if unit.parent_id else None, unit.name): unit
            for unit in Unit.objects.filter(organization=organization).select_related("parent")
        }
        units = {}
        for key, (name, parent_key, _order) in UNITS.items():
            parent = UNITS[parent_key][0] if parent_key else None
            if (parent, name) in by_name:
                units[key] = by_name[(parent, name)]
        return cls(
            units=units,
            domains={d.code: d for d in Domain.objects.filter(framework__code=FRAMEWORK)},
            groups={g.code: g for g in PersonnelGroup.objects.filter(framework__code=FRAMEWORK)},
            people={
                f"{p.first_name} {p.last_name}": p
                for p in StaffMember.objects.filter(organization=organization)
            },
        )


def _project_seed(
    plan: DevelopmentPlan,
    spec: DemoProject,
    order: int,
    found: _Lookups,
    *,
    copied_from: Project | None = None,
    years: dict[int, tuple[int, tuple[int, ...]]] | None = None,
) -> Project:
    project, _ = Project.objects.update_or_create(
        plan=plan,
        name=spec.name,
        defaults={
            "order": order,
            "area": spec.area,
            "is_digital": spec.is_digital,
            # In the order of the lists, as the browser's form stores them.
            "methods": [m for m in Method.values if m in spec.methods],
            "objectives": spec.objectives,
            "indicators": spec.indicators,
            "expected_result": spec.expected_result,
            "responsible_unit": found.units.get(spec.responsible_unit),
            "provider": spec.provider,
            "provider_name": spec.provider_name,
            "target_personnel_types": [
                t for t in PersonnelType.values if t in spec.personnel_types
            ],
            "target_position_types": [t for t in PositionType.values if t in spec.position_types],
            "target_levels": [level for level in Level.values if level in spec.levels],
            "copied_from": copied_from,
        },
    )
    project.domains.set([found.domains[code] for code in spec.domains])
    project.target_units.set([found.units[key] for key in spec.units if key in found.units])
    project.target_groups.set([found.groups[code] for code in spec.groups])
    project.target_people.set([found.people[n] for n in spec.people if n in found.people])
    planned = spec.years if years is None else years
    for fy in plan.fiscal_years:
        budget, quarters = planned.get(fy, (0, ()))
        ProjectYear.objects.update_or_create(
            project=project,
            fiscal_year=fy,
            defaults={
                "planned": fy in planned,
                "budget": Decimal(budget),
                "quarters": list(quarters),
            },
        )
    return project


def _users() -> tuple:
    """The demo's HR officer, ปลัด (the ``executive`` login) and นายก."""
    names = ["hr", "executive", "mayor"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    return tuple(users[name] for name in names)


def _steps_seed(plan: DevelopmentPlan, hr, clerk, mayor) -> None:
    """The published plan's way through the approval chain, each step by the right
    person: sent back once by the ปลัด, submitted again, proposed, approved, published."""
    Step = PlanStep.Kind
    PlanStep.objects.filter(plan=plan).delete()
    PlanStep.objects.bulk_create(
        PlanStep(plan=plan, step=step, by=by, at=at, note=note)
        for step, by, at, note in [
            (Step.SUBMIT, hr, _at(2020, 9, 14), ""),
            (Step.SEND_BACK, clerk, _at(2020, 9, 15, 14), SENT_BACK_REASON),
            (Step.SUBMIT, hr, SUBMITTED_AT, ""),
            (Step.PROPOSE, clerk, PROPOSED_AT, ""),
            (Step.APPROVE, mayor, APPROVED_AT, ""),
            (Step.PUBLISH, hr, PUBLISHED_AT, ""),
        ]
    )


def _demo_committee(organization: Organization, hr) -> str:
    """The drafting committee as the demo organisation's order names it."""
    return "\n".join(
        [
            f"{organization.mayor_name} | {organization.mayor_title} | ประธานกรรมการ",
            f"{organization.clerk_name} | {organization.clerk_title} | กรรมการ",
            "| หัวหน้าส่วนราชการทุกส่วน | กรรมการ",
            f"{hr.get_full_name()} | นักทรัพยากรบุคคล | กรรมการและเลขานุการ",
        ]
    )


def seed(organization: Organization) -> None:
    hr, clerk, mayor = _users()
    manpower_plan = (
        ManpowerPlan.objects.filter(
            organization=organization, first_fy=FIRST_FY, status=ManpowerPlan.Status.APPROVED
        )
        .order_by("-revision")
        .first()
    )
    texts = default_texts(organization_name=organization.name_th, first_fy=FIRST_FY)
    texts["committee"] = _demo_committee(organization, hr)
    original, _ = DevelopmentPlan.objects.update_or_create(
        organization=organization,
        first_fy=FIRST_FY,
        revision=0,
        defaults={
            "title": TITLE,
            "manpower_plan": manpower_plan,
            "previous": None,
            "status": DevelopmentPlan.Status.PUBLISHED,
            "submitted_by": hr,
            "submitted_at": SUBMITTED_AT,
            "proposed_by": clerk,
            "proposed_at": PROPOSED_AT,
            "approved_by": mayor,
            "approved_at": APPROVED_AT,
            "published_at": PUBLISHED_AT,
            **texts,
        },
    )
    _steps_seed(original, hr, clerk, mayor)
    found = _Lookups.load(organization)
    originals = {
        spec.name: _project_seed(original, spec, order, found)
        for order, spec in enumerate(PROJECTS, start=1)
    }
    revision, _ = DevelopmentPlan.objects.update_or_create(
        organization=organization,
        first_fy=FIRST_FY,
        revision=1,
        defaults={
            "title": TITLE,
            "manpower_plan": manpower_plan,
            "previous": original,
            "status": DevelopmentPlan.Status.DRAFT,
            "submitted_by": None,
            "submitted_at": None,
            "proposed_by": None,
            "proposed_at": None,
            "approved_by": None,
            "approved_at": None,
            "published_at": None,
            **texts,
            "targets": texts["targets"] + TARGETS_ADDED,
        },
    )
    for order, spec in enumerate(PROJECTS, start=1):
        _project_seed(
            revision,
            spec,
            order,
            found,
            copied_from=originals[spec.name],
            years=CHANGED_YEARS if spec.name == CHANGED_IN_REVISION else None,
        )
    _project_seed(revision, ADDED_IN_REVISION, len(PROJECTS) + 1, found)
    # The projects above are written directly, not through project_save.
    organization_audience_refresh(organization_id=organization.pk)
    _follow_seed(original, hr)
    _issued_seed(original, hr)


# --- FY 2565 followed: attendance, progress, reported courses -----------------------
# Partial on purpose, so that the 6-month and annual reports have something to show:
# most projects done (some under budget, some over), two in progress, one cancelled,
# the rest not started; about three in four of each target group attended.

FOLLOWED_FY = 2565
#: The day a project took place, by the first quarter it is planned in (FY 2565).
QUARTER_DAYS = {
    1: dt.date(2021, 11, 16),
    2: dt.date(2022, 2, 8),
    3: dt.date(2022, 5, 17),
    4: dt.date(2022, 8, 9),
}
CANCELLED = "โครงการศึกษาดูงานการให้บริการประชาชนแบบออนไลน์ ณ องค์กรปกครองส่วนท้องถิ่นต้นแบบ"
REPORTED = [
    # (course, provider, start, hours, confirmed)
    (
        "หลักสูตรการพัฒนาทักษะดิจิทัลสำหรับข้าราชการ (เรียนออนไลน์)",
        "ระบบการเรียนรู้ออนไลน์ของสำนักงาน ก.พ.",
        dt.date(2022, 1, 20),
        Decimal("12"),
        True,
    ),
    (
        "หลักสูตรความปลอดภัยไซเบอร์เบื้องต้น",
        "สถาบันพัฒนาบุคลากรท้องถิ่น",
        dt.date(2022, 6, 14),
        Decimal("18"),
        False,
    ),
]


def _follow_seed(plan: DevelopmentPlan, hr) -> None:
    from plans import follow
    from plans.audience import Audience
    from plans.models import DevelopmentRecord, ProjectProgress

    Status = ProjectProgress.Status
    audience = Audience.load(plan.organization)
    projects = [
        p
        for p in plan.projects.for_listing().order_by("order", "pk")
        if any(y.planned and y.fiscal_year == FOLLOWED_FY for y in p.years.all())
    ]
    for index, project in enumerate(projects):
        year = next(y for y in project.years.all() if y.fiscal_year == FOLLOWED_FY)
        if project.name == CANCELLED:
            status, spend = Status.CANCELLED, Decimal("0")
        elif index % 5 == 3:
            status, spend = Status.IN_PROGRESS, (year.budget / 2).quantize(Decimal("1"))
        elif index % 5 == 4:
            status, spend = Status.NOT_STARTED, Decimal("0")
        else:
            rate = Decimal("1.08") if index % 3 == 0 else Decimal("0.92")
            status, spend = Status.DONE, (year.budget * rate).quantize(Decimal("1"))
        day = QUARTER_DAYS[min(year.quarters or [1])]
        progress = ProjectProgress.objects.filter(
            project=project, fiscal_year=FOLLOWED_FY
        ).first() or ProjectProgress(project=project, fiscal_year=FOLLOWED_FY)
        progress.status, progress.actual_spend = status, spend
        progress.result = "ผู้เข้าร่วมผ่านเกณฑ์ตามตัวชี้วัด" if status == Status.DONE else ""
        progress.issues = "บางคนติดภารกิจในวันอบรม" if status == Status.DONE else ""
        progress.suggestions = "จัดรอบเพิ่มเติมสำหรับผู้ที่ไม่ได้เข้าร่วม" if status == Status.DONE else ""
        # Recorded two weeks after the project, as HR would have: a printed report
        # takes status and spend as recorded by its period's end (plans.follow).
        progress._history_date = approval_moment(day + dt.timedelta(days=14))
        progress.save()
        members = audience.members(project)
        attended = (
            [p for i, p in enumerate(members) if i % 4 != 3]
            if status in (Status.DONE, Status.IN_PROGRESS)
            else []
        )
        follow.attendance_save(
            project=project,
            fiscal_year=FOLLOWED_FY,
            listed=members,
            attended=attended,
            started_on=day,
            ended_on=day + dt.timedelta(days=1),
            hours=Decimal("12"),
            result=DevelopmentRecord.Result.ATTENDED,
        )
    person = StaffMember.objects.filter(
        organization=plan.organization, user__username="staff"
    ).first()
    if person is None:
        return
    for course, provider, start, hours, confirmed in REPORTED:
        DevelopmentRecord.objects.update_or_create(
            staff_member=person,
            source=DevelopmentRecord.Source.EXTERNAL,
            course_name=course,
            defaults={
                "provider_name": provider,
                "area": Area.SPECIFIC,
                "fiscal_year": FOLLOWED_FY,
                "started_on": start,
                "ended_on": start,
                "hours": hours,
                "result": DevelopmentRecord.Result.PASSED,
                "report": "นำความรู้มาใช้ในการทำงานประจำวัน",
                "confirmed_by": hr if confirmed else None,
                "confirmed_at": _at(start.year, start.month, start.day + 7) if confirmed else None,
            },
        )


def _issued_seed(plan: DevelopmentPlan, hr) -> None:
    """The followed year's 6-month and annual reports, issued by HR a few days after
    each period ended (plans/issued.py); a seed run again keeps the issues there."""
    from plans.issued import period_of, year_report_issue

    for first_half, day in ((True, dt.date(2022, 4, 5)), (False, dt.date(2022, 10, 7))):
        period = period_of(first_half)
        if plan.issued_reports.filter(fiscal_year=FOLLOWED_FY, period=period).exists():
            continue
        year_report_issue(
            plan=plan,
            fiscal_year=FOLLOWED_FY,
            first_half=first_half,
            user=hr,
            at=_at(day.year, day.month, day.day),
        )
