"""How a drill's output is compared with its guide: ids and findings' order do not count, what they say does."""

from tbyte.doctor.drills.record import comparable

BROKEN = """doctor aws of local: 2 finding(s)

AWS007 network ACL acl-0123456789abcdef0 at subnet-0123456789abcdef0 (tbyte-local-private-eu-central-1a)
  evidence: no rule allows 10.10.113.0/24, 10.10.112.0/24

AWS007 network ACL acl-0123456789abcdef0 at subnet-0123456789abcdef1 (tbyte-local-public-eu-central-1a)
  evidence: node has cpu 1280m, memory 2169Mi left
"""


def reordered(text: str) -> str:
    header, first, second = text.strip().split("\n\n")
    return "\n\n".join([header, second, first]) + "\n"


def test_the_order_of_findings_ids_and_cidr_lists_do_not_count():
    again = reordered(BROKEN).replace("abcdef0", "fedcba9").replace("10.10.113.0/24, 10.10.112.0/24",
                                                                   "10.10.112.0/24, 10.10.113.0/24")
    assert comparable(again.replace("1280m, memory 2169Mi", "990m, memory 1700Mi")) == comparable(BROKEN)


def test_the_zone_and_subnet_addresses_the_emulator_chose_do_not_count():
    moved = BROKEN.replace("private-eu-central-1a", "private-eu-central-1b").replace("10.10.112.0/24", "10.10.96.0/24")
    assert comparable(moved) == comparable(BROKEN)


def test_what_a_finding_says_counts():
    assert comparable(BROKEN.replace("public-eu-central-1a", "private-eu-central-1a")) != comparable(BROKEN)
    assert comparable(BROKEN.replace("AWS007", "AWS008", 1)) != comparable(BROKEN)
    assert comparable(BROKEN.replace("no rule allows", "a rule denies")) != comparable(BROKEN)
    assert comparable(BROKEN.replace("10.10.112.0/24", "10.10.112.0/28")) != comparable(BROKEN)
