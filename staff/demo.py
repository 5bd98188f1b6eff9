"""Demo data for the staff app: the units of a standard อบต., its positions, about
forty people of every personnel type, and the manpower plan FY 2564–2566 with one
revision. Called by :func:`portal.demo.demo_seed` inside a transaction.

Every record is keyed on a natural key (unit name in its division, position number,
citizen ID, plan period and revision, row position), so running the seed again
updates the same records instead of adding new ones. Names, numbers and dates are
invented; citizen IDs carry a valid check digit but belong to nobody.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.models import Membership, Organization, Role
from portal.revisions import approval_moment
from staff.choices import Level, PersonnelType, PositionType
from staff.models import ManpowerPlan, ManpowerPlanRow, Position, StaffMember, Unit
from staff.validators import citizen_id_with_check_digit

OFFICIAL = PersonnelType.LOCAL_OFFICIAL
TEACHER = PersonnelType.TEACHER
EDUCATION = PersonnelType.EDUCATION_PERSONNEL
PERMANENT = PersonnelType.PERMANENT_EMPLOYEE
MISSION = PersonnelType.MISSION_EMPLOYEE
GENERAL_EMPLOYEE = PersonnelType.GENERAL_EMPLOYEE

EXECUTIVE = PositionType.EXECUTIVE
DIRECTOR = PositionType.DIRECTOR
ACADEMIC = PositionType.ACADEMIC
GENERAL = PositionType.GENERAL
TEACHING = PositionType.TEACHING

#: key: (name, key of the division or None, order)
UNITS: dict[str, tuple[str, str | None, int]] = {
    "office": ("สำนักปลัด", None, 1),
    "admin": ("งานบริหารทั่วไป", "office", 1),
    "policy": ("งานนโยบายและแผน", "office", 2),
    "personnel": ("งานการเจ้าหน้าที่", "office", 3),
    "legal": ("งานกฎหมายและคดี", "office", 4),
    "disaster": ("งานป้องกันและบรรเทาสาธารณภัย", "office", 5),
    "finance": ("กองคลัง", None, 2),
    "accounts": ("งานการเงินและบัญชี", "finance", 1),
    "revenue": ("งานพัฒนาและจัดเก็บรายได้", "finance", 2),
    "supplies": ("งานพัสดุ", "finance", 3),
    "works": ("กองช่าง", None, 3),
    "education": ("กองการศึกษา ศาสนาและวัฒนธรรม", None, 4),
    "childcare": ("ศูนย์พัฒนาเด็กเล็ก", "education", 1),
    "welfare": ("กองสวัสดิการสังคม", None, 5),
    "audit": ("หน่วยตรวจสอบภายใน", None, 6),
}


@dataclass(frozen=True)
class DemoPosition:
    number: str
    title: str
    line: str
    personnel_type: str
    position_type: str
    level: str
    unit: str


# Numbers follow the usual pattern (organisation–unit–line–sequence); they are made up.
# fmt: off
POSITIONS = [
    DemoPosition("75-3-00-1101-001", "ปลัดองค์การบริหารส่วนตำบล", "นักบริหารงานท้องถิ่น", OFFICIAL, EXECUTIVE, Level.MIDDLE, "office"),  # noqa: E501
    DemoPosition("75-3-00-1101-002", "รองปลัดองค์การบริหารส่วนตำบล", "นักบริหารงานท้องถิ่น", OFFICIAL, EXECUTIVE, Level.JUNIOR, "office"),  # noqa: E501
    DemoPosition("75-3-01-2101-001", "หัวหน้าสำนักปลัด", "นักบริหารงานทั่วไป", OFFICIAL, DIRECTOR, Level.JUNIOR, "office"),  # noqa: E501
    DemoPosition("75-3-01-3101-001", "นักจัดการงานทั่วไป", "นักจัดการงานทั่วไป", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, "admin"),  # noqa: E501
    DemoPosition("75-3-01-4101-001", "เจ้าพนักงานธุรการ", "เจ้าพนักงานธุรการ", OFFICIAL, GENERAL, Level.EXPERIENCED, "admin"),  # noqa: E501
    DemoPosition("75-3-01-3103-001", "นักวิเคราะห์นโยบายและแผน", "นักวิเคราะห์นโยบายและแผน", OFFICIAL, ACADEMIC, Level.PRACTITIONER, "policy"),  # noqa: E501
    DemoPosition("75-3-01-3204-001", "นักวิชาการคอมพิวเตอร์", "นักวิชาการคอมพิวเตอร์", OFFICIAL, ACADEMIC, Level.PRACTITIONER, "policy"),  # noqa: E501
    DemoPosition("75-3-01-3102-001", "นักทรัพยากรบุคคล", "นักทรัพยากรบุคคล", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, "personnel"),  # noqa: E501
    DemoPosition("75-3-01-3105-001", "นิติกร", "นิติกร", OFFICIAL, ACADEMIC, Level.PRACTITIONER, "legal"),  # noqa: E501
    DemoPosition("75-3-01-4805-001", "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัย", "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัย", OFFICIAL, GENERAL, Level.OPERATOR, "disaster"),  # noqa: E501
    DemoPosition("75-3-04-2102-001", "ผู้อำนวยการกองคลัง", "นักบริหารงานการคลัง", OFFICIAL, DIRECTOR, Level.JUNIOR, "finance"),  # noqa: E501
    DemoPosition("75-3-04-3201-001", "นักวิชาการเงินและบัญชี", "นักวิชาการเงินและบัญชี", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, "accounts"),  # noqa: E501
    DemoPosition("75-3-04-4201-001", "เจ้าพนักงานการเงินและบัญชี", "เจ้าพนักงานการเงินและบัญชี", OFFICIAL, GENERAL, Level.EXPERIENCED, "accounts"),  # noqa: E501
    DemoPosition("75-3-04-3202-001", "นักวิชาการจัดเก็บรายได้", "นักวิชาการจัดเก็บรายได้", OFFICIAL, ACADEMIC, Level.PRACTITIONER, "revenue"),  # noqa: E501
    DemoPosition("75-3-04-4204-001", "เจ้าพนักงานจัดเก็บรายได้", "เจ้าพนักงานจัดเก็บรายได้", OFFICIAL, GENERAL, Level.SENIOR_OPERATOR, "revenue"),  # noqa: E501
    DemoPosition("75-3-04-3203-001", "นักวิชาการพัสดุ", "นักวิชาการพัสดุ", OFFICIAL, ACADEMIC, Level.PRACTITIONER, "supplies"),  # noqa: E501
    DemoPosition("75-3-05-2103-001", "ผู้อำนวยการกองช่าง", "นักบริหารงานช่าง", OFFICIAL, DIRECTOR, Level.JUNIOR, "works"),  # noqa: E501
    DemoPosition("75-3-05-4701-001", "นายช่างโยธา", "นายช่างโยธา", OFFICIAL, GENERAL, Level.EXPERIENCED, "works"),  # noqa: E501
    DemoPosition("75-3-05-4705-001", "นายช่างไฟฟ้า", "นายช่างไฟฟ้า", OFFICIAL, GENERAL, Level.OPERATOR, "works"),  # noqa: E501
    DemoPosition("75-3-05-4101-001", "เจ้าพนักงานธุรการ", "เจ้าพนักงานธุรการ", OFFICIAL, GENERAL, Level.OPERATOR, "works"),  # noqa: E501
    DemoPosition("75-3-08-2107-001", "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม", "นักบริหารงานการศึกษา", OFFICIAL, DIRECTOR, Level.JUNIOR, "education"),  # noqa: E501
    DemoPosition("75-3-08-3803-001", "นักวิชาการศึกษา", "นักวิชาการศึกษา", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, "education"),  # noqa: E501
    DemoPosition("75-3-08-6600-001", "ครู", "ครู", TEACHER, TEACHING, Level.TEACHER_PROFESSIONAL, "childcare"),  # noqa: E501
    DemoPosition("75-3-08-6600-002", "ครู", "ครู", TEACHER, TEACHING, Level.TEACHER, "childcare"),
    DemoPosition("75-3-08-6600-003", "ครูผู้ช่วย", "ครู", TEACHER, TEACHING, Level.ASSISTANT_TEACHER, "childcare"),  # noqa: E501
    DemoPosition("75-3-08-7100-001", "เจ้าหน้าที่ธุรการศูนย์พัฒนาเด็กเล็ก", "บุคลากรทางการศึกษาอื่น", EDUCATION, "", "", "childcare"),  # noqa: E501
    DemoPosition("75-3-11-2105-001", "ผู้อำนวยการกองสวัสดิการสังคม", "นักบริหารงานสวัสดิการสังคม", OFFICIAL, DIRECTOR, Level.JUNIOR, "welfare"),  # noqa: E501
    DemoPosition("75-3-11-3801-001", "นักพัฒนาชุมชน", "นักพัฒนาชุมชน", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, "welfare"),  # noqa: E501
    DemoPosition("75-3-11-4801-001", "เจ้าพนักงานพัฒนาชุมชน", "เจ้าพนักงานพัฒนาชุมชน", OFFICIAL, GENERAL, Level.OPERATOR, "welfare"),  # noqa: E501
    DemoPosition("75-3-12-3205-001", "นักวิชาการตรวจสอบภายใน", "นักวิชาการตรวจสอบภายใน", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, "audit"),  # noqa: E501
]
# fmt: on


@dataclass(frozen=True)
class DemoPerson:
    prefix: str
    first_name: str
    last_name: str
    personnel_type: str
    position_title: str
    position_type: str
    level: str
    unit: str
    #: A date, or a number of days before today for the newcomers.
    appointed: dt.date | int
    birth_date: dt.date
    education: str
    position: str = ""  # the number of the position held
    username: str = ""  # the demo login linked to this person
    left_on: dt.date | None = None
    left_reason: str = ""


D = dt.date
P = DemoPerson
# fmt: off
PEOPLE = [
    # สำนักปลัด
    P("นาย", "ประเสริฐ", "วงศ์สวัสดิ์", OFFICIAL, "ปลัดองค์การบริหารส่วนตำบล", EXECUTIVE, Level.MIDDLE, "office", D(2015, 6, 1), D(1972, 3, 14), "รัฐประศาสนศาสตรมหาบัณฑิต", "75-3-00-1101-001", "executive"),  # noqa: E501
    P("นาง", "วันเพ็ญ", "ศรีสมบูรณ์", OFFICIAL, "รองปลัดองค์การบริหารส่วนตำบล", EXECUTIVE, Level.JUNIOR, "office", D(2017, 11, 16), D(1975, 8, 2), "รัฐศาสตรมหาบัณฑิต", "75-3-00-1101-002"),  # noqa: E501
    P("นางสาว", "อรุณี", "ทองคำ", OFFICIAL, "หัวหน้าสำนักปลัด", DIRECTOR, Level.JUNIOR, "office", D(2018, 2, 1), D(1978, 12, 20), "รัฐประศาสนศาสตรมหาบัณฑิต", "75-3-01-2101-001"),  # noqa: E501
    P("นาย", "สมศักดิ์", "บุญเรือง", OFFICIAL, "นักจัดการงานทั่วไป", ACADEMIC, Level.PROFESSIONAL, "admin", D(2012, 7, 2), D(1980, 5, 11), "ศิลปศาสตรบัณฑิต", "75-3-01-3101-001"),  # noqa: E501
    P("นางสาว", "กมลวรรณ", "แก้วประเสริฐ", OFFICIAL, "เจ้าพนักงานธุรการ", GENERAL, Level.EXPERIENCED, "admin", D(2016, 4, 1), D(1988, 9, 23), "บริหารธุรกิจบัณฑิต", "75-3-01-4101-001", "staff"),  # noqa: E501
    P("นางสาว", "พิมพ์ชนก", "สุขสวัสดิ์", MISSION, "ผู้ช่วยเจ้าพนักงานธุรการ", "", "", "admin", D(2019, 10, 1), D(1994, 1, 30), "ประกาศนียบัตรวิชาชีพชั้นสูง"),  # noqa: E501
    P("นางสาว", "สุกัญญา", "ใจบุญ", MISSION, "ผู้ช่วยเจ้าพนักงานธุรการ", "", "", "admin", D(2021, 6, 1), D(1996, 7, 7), "ประกาศนียบัตรวิชาชีพชั้นสูง"),  # noqa: E501
    P("นาย", "บุญมี", "จันทร์หอม", PERMANENT, "พนักงานขับรถยนต์", "", "", "admin", D(2003, 5, 1), D(1969, 2, 18), "มัธยมศึกษาตอนปลาย"),  # noqa: E501
    P("นาง", "บุญเรือน", "พึ่งบุญ", GENERAL_EMPLOYEE, "คนงานทั่วไป", "", "", "admin", D(2020, 11, 2), D(1977, 10, 10), "มัธยมศึกษาตอนต้น"),  # noqa: E501
    P("นาย", "ธนพล", "ศรีวงศ์", OFFICIAL, "นักวิเคราะห์นโยบายและแผน", ACADEMIC, Level.PRACTITIONER, "policy", D(2020, 3, 2), D(1991, 4, 19), "รัฐประศาสนศาสตรบัณฑิต", "75-3-01-3103-001"),  # noqa: E501
    P("ว่าที่ร้อยตรี", "ณัฐพล", "มีสุข", OFFICIAL, "นักวิชาการคอมพิวเตอร์", ACADEMIC, Level.PRACTITIONER, "policy", 120, D(1997, 11, 3), "วิทยาศาสตรบัณฑิต (วิทยาการคอมพิวเตอร์)", "75-3-01-3204-001"),  # noqa: E501
    P("นาง", "สุดารัตน์", "ใจดี", OFFICIAL, "นักทรัพยากรบุคคล", ACADEMIC, Level.PROFESSIONAL, "personnel", D(2011, 10, 3), D(1983, 6, 15), "รัฐประศาสนศาสตรมหาบัณฑิต", "75-3-01-3102-001", "hr"),  # noqa: E501
    P("นางสาว", "ชลธิชา", "ปานทอง", MISSION, "ผู้ช่วยนักทรัพยากรบุคคล", "", "", "personnel", D(2022, 1, 4), D(1995, 3, 9), "บริหารธุรกิจบัณฑิต"),  # noqa: E501
    P("นาย", "อภิชาติ", "ยุติธรรม", OFFICIAL, "นิติกร", ACADEMIC, Level.PRACTITIONER, "legal", D(2019, 1, 15), D(1990, 12, 1), "นิติศาสตรบัณฑิต", "75-3-01-3105-001"),  # noqa: E501
    P("นาย", "วีระ", "กล้าหาญ", OFFICIAL, "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัย", GENERAL, Level.OPERATOR, "disaster", D(2021, 12, 1), D(1992, 8, 8), "ประกาศนียบัตรวิชาชีพชั้นสูง", "75-3-01-4805-001"),  # noqa: E501
    P("นาย", "สมพงษ์", "ใจกล้า", MISSION, "พนักงานดับเพลิง", "", "", "disaster", D(2018, 10, 1), D(1986, 5, 5), "มัธยมศึกษาตอนปลาย"),  # noqa: E501
    P("นาย", "ชัยวัฒน์", "รักษาพล", GENERAL_EMPLOYEE, "พนักงานดับเพลิง", "", "", "disaster", D(2022, 10, 3), D(1993, 2, 14), "มัธยมศึกษาตอนปลาย"),  # noqa: E501
    # กองคลัง
    P("นาง", "จันทร์เพ็ญ", "รุ่งเรือง", OFFICIAL, "ผู้อำนวยการกองคลัง", DIRECTOR, Level.JUNIOR, "finance", D(2016, 9, 1), D(1976, 1, 25), "บริหารธุรกิจมหาบัณฑิต", "75-3-04-2102-001"),  # noqa: E501
    P("นางสาว", "ศิริพร", "บุญมา", OFFICIAL, "นักวิชาการเงินและบัญชี", ACADEMIC, Level.PROFESSIONAL, "accounts", D(2014, 6, 2), D(1985, 11, 11), "บัญชีบัณฑิต", "75-3-04-3201-001"),  # noqa: E501
    P("นางสาว", "ปวีณา", "ทองดี", OFFICIAL, "เจ้าพนักงานการเงินและบัญชี", GENERAL, Level.EXPERIENCED, "accounts", D(2015, 3, 2), D(1987, 7, 21), "บริหารธุรกิจบัณฑิต (การบัญชี)", "75-3-04-4201-001"),  # noqa: E501
    P("นางสาว", "รัตนา", "สายสุด", MISSION, "ผู้ช่วยเจ้าพนักงานการเงินและบัญชี", "", "", "accounts", 200, D(1999, 9, 9), "ประกาศนียบัตรวิชาชีพชั้นสูง (การบัญชี)"),  # noqa: E501
    P("นาย", "ณรงค์", "มั่นคง", OFFICIAL, "นักวิชาการจัดเก็บรายได้", ACADEMIC, Level.PRACTITIONER, "revenue", D(2020, 7, 1), D(1989, 10, 30), "บริหารธุรกิจบัณฑิต", "75-3-04-3202-001"),  # noqa: E501
    P("นาง", "มาลี", "ศรีจันทร์", OFFICIAL, "เจ้าพนักงานจัดเก็บรายได้", GENERAL, Level.SENIOR_OPERATOR, "revenue", D(2005, 1, 4), D(1971, 4, 4), "ประกาศนียบัตรวิชาชีพชั้นสูง", "75-3-04-4204-001"),  # noqa: E501
    P("นางสาว", "สุภาพร", "ชื่นใจ", OFFICIAL, "นักวิชาการพัสดุ", ACADEMIC, Level.PRACTITIONER, "supplies", D(2021, 2, 1), D(1993, 6, 6), "บริหารธุรกิจบัณฑิต", "75-3-04-3203-001"),  # noqa: E501
    P("นาย", "เกรียงไกร", "พลอยงาม", MISSION, "ผู้ช่วยเจ้าพนักงานพัสดุ", "", "", "supplies", D(2020, 1, 6), D(1995, 12, 12), "ประกาศนียบัตรวิชาชีพชั้นสูง"),  # noqa: E501
    # กองช่าง
    P("นาย", "วิรัตน์", "แสงทอง", OFFICIAL, "ผู้อำนวยการกองช่าง", DIRECTOR, Level.JUNIOR, "works", D(2013, 8, 1), D(1974, 9, 9), "วิศวกรรมศาสตรบัณฑิต (โยธา)", "75-3-05-2103-001"),  # noqa: E501
    P("นาย", "อนุชา", "ทองมี", OFFICIAL, "นายช่างโยธา", GENERAL, Level.EXPERIENCED, "works", D(2012, 5, 1), D(1982, 3, 3), "ประกาศนียบัตรวิชาชีพชั้นสูง (ช่างก่อสร้าง)", "75-3-05-4701-001"),  # noqa: E501
    P("นาย", "ไพโรจน์", "สุขเจริญ", MISSION, "ผู้ช่วยนายช่างโยธา", "", "", "works", D(2019, 6, 3), D(1994, 10, 20), "ประกาศนียบัตรวิชาชีพชั้นสูง (โยธา)"),  # noqa: E501
    P("นาย", "สมหมาย", "บุญส่ง", OFFICIAL, "นายช่างไฟฟ้า", GENERAL, Level.OPERATOR, "works", 90, D(1998, 1, 15), "ประกาศนียบัตรวิชาชีพชั้นสูง (ไฟฟ้ากำลัง)", "75-3-05-4705-001"),  # noqa: E501
    P("นาย", "ดำรง", "คงดี", PERMANENT, "พนักงานขับเครื่องจักรกลขนาดเบา", "", "", "works", D(2004, 4, 1), D(1970, 6, 30), "มัธยมศึกษาตอนปลาย"),  # noqa: E501
    P("นาย", "เอกชัย", "ศรีทอง", GENERAL_EMPLOYEE, "คนงานทั่วไป", "", "", "works", D(2023, 5, 2), D(1990, 8, 18), "มัธยมศึกษาตอนต้น"),  # noqa: E501
    # กองการศึกษา ศาสนาและวัฒนธรรม
    P("นางสาว", "นิตยา", "พรหมมา", OFFICIAL, "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม", DIRECTOR, Level.JUNIOR, "education", D(2017, 3, 1), D(1979, 2, 2), "ครุศาสตรมหาบัณฑิต", "75-3-08-2107-001"),  # noqa: E501
    P("นางสาว", "จิราพร", "ศรีสุข", OFFICIAL, "นักวิชาการศึกษา", ACADEMIC, Level.PROFESSIONAL, "education", D(2013, 11, 1), D(1984, 4, 24), "ศึกษาศาสตรบัณฑิต", "75-3-08-3803-001"),  # noqa: E501
    P("นาง", "อำไพ", "แก้วมณี", TEACHER, "ครู", TEACHING, Level.TEACHER_PROFESSIONAL, "childcare", D(2010, 6, 1), D(1980, 7, 17), "ครุศาสตรบัณฑิต (การศึกษาปฐมวัย)", "75-3-08-6600-001"),  # noqa: E501
    P("นางสาว", "สุนิสา", "วงศ์ไทย", TEACHER, "ครู", TEACHING, Level.TEACHER, "childcare", D(2019, 5, 16), D(1991, 12, 5), "ครุศาสตรบัณฑิต (การศึกษาปฐมวัย)", "75-3-08-6600-002"),  # noqa: E501
    P("นางสาว", "ธิดารัตน์", "ใจงาม", TEACHER, "ครูผู้ช่วย", TEACHING, Level.ASSISTANT_TEACHER, "childcare", 45, D(2000, 3, 21), "ศึกษาศาสตรบัณฑิต (การศึกษาปฐมวัย)", "75-3-08-6600-003"),  # noqa: E501
    P("นางสาว", "พรทิพย์", "อินทร์แก้ว", EDUCATION, "เจ้าหน้าที่ธุรการศูนย์พัฒนาเด็กเล็ก", "", "", "childcare", D(2020, 6, 1), D(1992, 5, 29), "บริหารธุรกิจบัณฑิต", "75-3-08-7100-001"),  # noqa: E501
    P("นางสาว", "มยุรี", "คำแก้ว", MISSION, "ผู้ดูแลเด็ก", "", "", "childcare", D(2016, 5, 16), D(1987, 1, 9), "ประกาศนียบัตรวิชาชีพชั้นสูง"),  # noqa: E501
    # กองสวัสดิการสังคม (its director's post is vacant)
    P("นางสาว", "อัญชลี", "ทองสุข", OFFICIAL, "นักพัฒนาชุมชน", ACADEMIC, Level.PROFESSIONAL, "welfare", D(2012, 10, 1), D(1983, 9, 14), "สังคมสงเคราะห์ศาสตรบัณฑิต", "75-3-11-3801-001"),  # noqa: E501
    P("นางสาว", "ปิยะนุช", "สมบูรณ์", OFFICIAL, "เจ้าพนักงานพัฒนาชุมชน", GENERAL, Level.OPERATOR, "welfare", 300, D(1996, 2, 27), "ประกาศนียบัตรวิชาชีพชั้นสูง", "75-3-11-4801-001"),  # noqa: E501
    P("นาย", "ธีรวัฒน์", "ดวงดี", MISSION, "ผู้ช่วยนักพัฒนาชุมชน", "", "", "welfare", D(2021, 4, 1), D(1993, 11, 19), "ศิลปศาสตรบัณฑิต"),  # noqa: E501
    # หน่วยตรวจสอบภายใน
    P("นาง", "กาญจนา", "ศรีเมือง", OFFICIAL, "นักวิชาการตรวจสอบภายใน", ACADEMIC, Level.PROFESSIONAL, "audit", D(2014, 1, 6), D(1982, 10, 1), "บัญชีบัณฑิต", "75-3-12-3205-001"),  # noqa: E501
    # People who left: their records stay.
    P("นาย", "สุริยา", "อ่อนน้อม", OFFICIAL, "เจ้าพนักงานธุรการ", GENERAL, Level.OPERATOR, "works", D(2018, 7, 2), D(1990, 1, 1), "ประกาศนียบัตรวิชาชีพชั้นสูง", "75-3-05-4101-001", left_on=D(2025, 6, 30), left_reason="โอนไปองค์การบริหารส่วนตำบลบางนางลี่"),  # noqa: E501
    P("นางสาว", "ขวัญใจ", "พรมดี", MISSION, "ผู้ช่วยเจ้าพนักงานการเงินและบัญชี", "", "", "accounts", D(2019, 2, 1), D(1995, 5, 5), "ประกาศนียบัตรวิชาชีพชั้นสูง (การบัญชี)", left_on=D(2025, 12, 31), left_reason="ลาออก"),  # noqa: E501
]
# fmt: on


@dataclass(frozen=True)
class DemoRow:
    unit: str
    position_title: str
    personnel_type: str
    position_type: str
    level: str
    counts: tuple[int, int, int, int]  # approved now, FY 2564, 2565, 2566
    note: str = ""


R = DemoRow
#: The plan as first approved (revision 0): a row for every group of people above,
#: with vacancies (ผอ.กองสวัสดิการสังคม, เจ้าพนักงานธุรการ กองช่าง, นักสังคมสงเคราะห์),
#: one group over the plan (ผู้ช่วยเจ้าพนักงานธุรการ) and positions added in years 2 and 3.
# fmt: off
PLAN_ROWS = [
    R("office", "ปลัดองค์การบริหารส่วนตำบล", OFFICIAL, EXECUTIVE, Level.MIDDLE, (1, 1, 1, 1)),
    R("office", "รองปลัดองค์การบริหารส่วนตำบล", OFFICIAL, EXECUTIVE, Level.JUNIOR, (1, 1, 1, 1)),
    R("office", "หัวหน้าสำนักปลัด", OFFICIAL, DIRECTOR, Level.JUNIOR, (1, 1, 1, 1)),
    R("admin", "นักจัดการงานทั่วไป", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, (1, 1, 1, 1)),
    R("admin", "เจ้าพนักงานธุรการ", OFFICIAL, GENERAL, Level.EXPERIENCED, (1, 1, 1, 1)),
    R("admin", "ผู้ช่วยเจ้าพนักงานธุรการ", MISSION, "", "", (1, 1, 1, 1)),
    R("admin", "พนักงานขับรถยนต์", PERMANENT, "", "", (1, 1, 1, 1)),
    R("admin", "คนงานทั่วไป", GENERAL_EMPLOYEE, "", "", (1, 1, 1, 1)),
    R("policy", "นักวิเคราะห์นโยบายและแผน", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (1, 1, 1, 1)),
    R("policy", "นักวิชาการคอมพิวเตอร์", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (0, 0, 1, 1), "กำหนดตำแหน่งใหม่ ปี 2565"),  # noqa: E501
    R("personnel", "นักทรัพยากรบุคคล", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, (1, 1, 1, 1)),
    R("personnel", "ผู้ช่วยนักทรัพยากรบุคคล", MISSION, "", "", (1, 1, 1, 1)),
    R("legal", "นิติกร", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (1, 1, 1, 1)),
    R("disaster", "เจ้าพนักงานป้องกันและบรรเทาสาธารณภัย", OFFICIAL, GENERAL, Level.OPERATOR, (1, 1, 1, 1)),  # noqa: E501
    R("disaster", "พนักงานดับเพลิง", MISSION, "", "", (1, 1, 1, 1)),
    R("disaster", "พนักงานดับเพลิง", GENERAL_EMPLOYEE, "", "", (1, 1, 1, 1)),
    R("finance", "ผู้อำนวยการกองคลัง", OFFICIAL, DIRECTOR, Level.JUNIOR, (1, 1, 1, 1)),
    R("accounts", "นักวิชาการเงินและบัญชี", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, (1, 1, 1, 1)),
    R("accounts", "เจ้าพนักงานการเงินและบัญชี", OFFICIAL, GENERAL, Level.EXPERIENCED, (1, 1, 1, 1)),
    R("accounts", "ผู้ช่วยเจ้าพนักงานการเงินและบัญชี", MISSION, "", "", (1, 1, 1, 1)),
    R("revenue", "นักวิชาการจัดเก็บรายได้", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (0, 1, 1, 1), "กำหนดตำแหน่งใหม่ ปี 2564"),  # noqa: E501
    R("revenue", "เจ้าพนักงานจัดเก็บรายได้", OFFICIAL, GENERAL, Level.SENIOR_OPERATOR, (1, 1, 1, 1)),
    R("supplies", "นักวิชาการพัสดุ", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (1, 1, 1, 1)),
    R("supplies", "ผู้ช่วยเจ้าพนักงานพัสดุ", MISSION, "", "", (1, 1, 1, 1)),
    R("works", "ผู้อำนวยการกองช่าง", OFFICIAL, DIRECTOR, Level.JUNIOR, (1, 1, 1, 1)),
    R("works", "นายช่างโยธา", OFFICIAL, GENERAL, Level.EXPERIENCED, (1, 1, 1, 1)),
    R("works", "ผู้ช่วยนายช่างโยธา", MISSION, "", "", (1, 1, 1, 1)),
    R("works", "นายช่างไฟฟ้า", OFFICIAL, GENERAL, Level.OPERATOR, (0, 0, 0, 1), "กำหนดตำแหน่งใหม่ ปี 2566"),  # noqa: E501
    R("works", "เจ้าพนักงานธุรการ", OFFICIAL, GENERAL, Level.OPERATOR, (1, 1, 1, 1)),
    R("works", "พนักงานขับเครื่องจักรกลขนาดเบา", PERMANENT, "", "", (1, 1, 1, 1)),
    R("works", "คนงานทั่วไป", GENERAL_EMPLOYEE, "", "", (2, 2, 1, 1), "ยุบเมื่อว่าง 1 อัตรา"),
    R("education", "ผู้อำนวยการกองการศึกษา ศาสนาและวัฒนธรรม", OFFICIAL, DIRECTOR, Level.JUNIOR, (1, 1, 1, 1)),  # noqa: E501
    R("education", "นักวิชาการศึกษา", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, (1, 1, 1, 1)),
    R("childcare", "ครู", TEACHER, TEACHING, Level.TEACHER_PROFESSIONAL, (1, 1, 1, 1)),
    R("childcare", "ครู", TEACHER, TEACHING, Level.TEACHER, (1, 1, 1, 1)),
    R("childcare", "ครูผู้ช่วย", TEACHER, TEACHING, Level.ASSISTANT_TEACHER, (0, 1, 1, 1), "รองรับเด็กเล็กที่เพิ่มขึ้น"),  # noqa: E501
    R("childcare", "เจ้าหน้าที่ธุรการศูนย์พัฒนาเด็กเล็ก", EDUCATION, "", "", (1, 1, 1, 1)),
    R("childcare", "ผู้ดูแลเด็ก", MISSION, "", "", (1, 1, 1, 1)),
    R("welfare", "ผู้อำนวยการกองสวัสดิการสังคม", OFFICIAL, DIRECTOR, Level.JUNIOR, (1, 1, 1, 1), "ว่าง"),
    R("welfare", "นักพัฒนาชุมชน", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, (1, 1, 1, 1)),
    R("welfare", "เจ้าพนักงานพัฒนาชุมชน", OFFICIAL, GENERAL, Level.OPERATOR, (0, 1, 1, 1), "กำหนดตำแหน่งใหม่ ปี 2564"),  # noqa: E501
    R("welfare", "ผู้ช่วยนักพัฒนาชุมชน", MISSION, "", "", (1, 1, 1, 1)),
    R("welfare", "นักสังคมสงเคราะห์", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (0, 0, 0, 1), "กำหนดตำแหน่งใหม่ ปี 2566"),  # noqa: E501
    R("audit", "นักวิชาการตรวจสอบภายใน", OFFICIAL, ACADEMIC, Level.PROFESSIONAL, (1, 1, 1, 1)),
]
# fmt: on

#: Revision 1 (ฉบับแก้ไขเพิ่มเติม ครั้งที่ 1/2565): the social worker comes a year
#: earlier, a new assistant disaster officer is added, and a note changes.
# fmt: off
REVISION_1_CHANGES = [
    R("welfare", "นักสังคมสงเคราะห์", OFFICIAL, ACADEMIC, Level.PRACTITIONER, (0, 0, 1, 1), "เลื่อนกำหนดตำแหน่งมาเป็นปี 2565"),  # noqa: E501
    R("disaster", "ผู้ช่วยเจ้าพนักงานป้องกันและบรรเทาสาธารณภัย", MISSION, "", "", (0, 0, 1, 1), "เพิ่มใหม่ตามภารกิจ ปี 2565"),  # noqa: E501
    R("works", "คนงานทั่วไป", GENERAL_EMPLOYEE, "", "", (2, 2, 1, 1), "ยุบเมื่อว่าง 1 อัตรา (ว่างตั้งแต่ ปี 2565)"),  # noqa: E501
]
# fmt: on

PLAN_FIRST_FY = 2564
PLAN_TITLE = "แผนอัตรากำลัง 3 ปี ประจำปีงบประมาณ พ.ศ. 2564–2566"


def demo_citizen_id(person: DemoPerson) -> str:
    """A stable, valid, made-up ID: 1 for people born from 1984 on, 3 before (as the
    Thai registry numbered them), the Amphawa district code, then digits derived from
    the name so that a second run finds the same person."""
    kind = "1" if person.birth_date.year >= 1984 else "3"
    serial = zlib.crc32(f"{person.first_name} {person.last_name}".encode()) % 10_000_000
    return citizen_id_with_check_digit(f"{kind}7503{serial:07d}")


def units_seed(organization: Organization) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for key, (name, parent_key, order) in UNITS.items():  # divisions come before sections
        units[key], _ = Unit.objects.update_or_create(
            organization=organization,
            parent=units[parent_key] if parent_key else None,
            name=name,
            defaults={"order": order},
        )
    return units


def positions_seed(organization: Organization, units: dict[str, Unit]) -> dict[str, Position]:
    positions: dict[str, Position] = {}
    for item in POSITIONS:
        positions[item.number], _ = Position.objects.update_or_create(
            organization=organization,
            number=item.number,
            defaults={
                "title": item.title,
                "line": item.line,
                "personnel_type": item.personnel_type,
                "position_type": item.position_type,
                "level": item.level,
                "unit": units[item.unit],
            },
        )
    return positions


def people_seed(
    organization: Organization, units: dict[str, Unit], positions: dict[str, Position]
) -> None:
    today = timezone.localdate()
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[person.username for person in PEOPLE if person.username]
        )
    }
    for person in PEOPLE:
        appointed = (
            today - dt.timedelta(days=person.appointed)
            if isinstance(person.appointed, int)
            else person.appointed
        )
        StaffMember.objects.update_or_create(
            organization=organization,
            citizen_id=demo_citizen_id(person),
            defaults={
                "prefix": person.prefix,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "personnel_type": person.personnel_type,
                "position": positions.get(person.position),
                "position_title": person.position_title,
                "position_type": person.position_type,
                "level": person.level,
                "unit": units[person.unit],
                "appointed_on": appointed,
                "birth_date": person.birth_date,
                "education": person.education,
                "user": users.get(person.username),
                "is_active": person.left_on is None,
                "left_on": person.left_on,
                "left_reason": person.left_reason,
            },
        )


def _rows_seed(plan: ManpowerPlan, rows: list[DemoRow], units: dict[str, Unit]) -> None:
    for order, row in enumerate(rows, start=1):
        current, year1, year2, year3 = row.counts
        ManpowerPlanRow.objects.update_or_create(
            plan=plan,
            unit=units[row.unit],
            position_title=row.position_title,
            personnel_type=row.personnel_type,
            position_type=row.position_type,
            level=row.level,
            defaults={
                "current_count": current,
                "year1_count": year1,
                "year2_count": year2,
                "year3_count": year3,
                "note": row.note,
                "order": order,
            },
        )


def _revised(rows: list[DemoRow], changes: list[DemoRow]) -> list[DemoRow]:
    def key(row: DemoRow) -> tuple:
        return row.unit, row.position_title, row.personnel_type, row.position_type, row.level

    changed = {key(row): row for row in changes}
    result = [changed.pop(key(row), row) for row in rows]
    return result + list(changed.values())  # rows new in the revision come last


def manpower_seed(organization: Organization, units: dict[str, Unit]) -> None:
    original, _ = ManpowerPlan.objects.update_or_create(
        organization=organization,
        first_fy=PLAN_FIRST_FY,
        revision=0,
        defaults={
            "title": PLAN_TITLE,
            "status": ManpowerPlan.Status.APPROVED,
            "approved_at": approval_moment(dt.date(2020, 9, 15)),
            "note": "ประกาศใช้ตามมติคณะกรรมการพนักงานส่วนตำบลจังหวัดสมุทรสงคราม",
        },
    )
    _rows_seed(original, PLAN_ROWS, units)
    revision, _ = ManpowerPlan.objects.update_or_create(
        organization=organization,
        first_fy=PLAN_FIRST_FY,
        revision=1,
        defaults={
            "previous": original,
            "title": PLAN_TITLE,
            "status": ManpowerPlan.Status.APPROVED,
            "approved_at": approval_moment(dt.date(2022, 3, 30)),
            "note": "ฉบับแก้ไขเพิ่มเติม ครั้งที่ 1/2565: เลื่อนกำหนดตำแหน่งนักสังคมสงเคราะห์ "
            "และเพิ่มผู้ช่วยเจ้าพนักงานป้องกันและบรรเทาสาธารณภัย",
        },
    )
    _rows_seed(revision, _revised(PLAN_ROWS, REVISION_1_CHANGES), units)


def accounts_seed(organization: Organization) -> None:
    """A login for everyone working here who has none, as HR issuing accounts would
    leave them (no password until the person activates it): the first-day checklist of
    the demo is complete. Named by the person's place in the list, never their ID."""
    user_model = get_user_model()
    for index, person in enumerate(PEOPLE, start=1):
        if person.username or person.left_on is not None:
            continue
        user, created = user_model.objects.get_or_create(
            username=f"{organization.slug}-{index:02d}",
            defaults={"first_name": person.first_name, "last_name": person.last_name},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": Role.STAFF}
        )
        StaffMember.objects.filter(
            organization=organization, citizen_id=demo_citizen_id(person), user__isnull=True
        ).update(user=user)


def seed(organization: Organization) -> None:
    units = units_seed(organization)
    positions = positions_seed(organization, units)
    people_seed(organization, units, positions)
    accounts_seed(organization)
    manpower_seed(organization, units)
