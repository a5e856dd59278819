"""Normalization: what analyzers can rely on after stage 2."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from screening.model.application import Address as AddressInput
from screening.model.application import Payment as PaymentInput
from screening.model.application import RawApplication, parse_application
from screening.normalize import normalize
from screening.normalize.addresses import normalize_address
from screening.normalize.emails import normalize_email
from screening.normalize.links import normalize_link
from screening.normalize.names import normalize_name
from screening.normalize.payment import normalize_payment
from screening.normalize.phones import normalize_phone
from screening.normalize.text import clean_line, fold


def test_names_are_cleaned_folded_and_scripted() -> None:
    n = normalize_name("  Dr.  Nguyễn\u200b Văn   An ")
    assert n.display == "Dr. Nguyễn Văn An"
    assert n.tokens == ("nguyen", "van", "an")
    assert n.script == "latin"
    assert normalize_name("김민준").script == "hangul"
    assert normalize_name("Олександр Шевченко").script == "cyrillic"
    assert normalize_name("佐藤 花子").script == "han"


def test_invisible_and_bidi_characters_are_removed() -> None:
    assert clean_line("Jo\u200dn\u202e Mil\ufeffler") == "Jon Miller"
    assert fold("ÉMILE Łódź") == "emile lodz"


def test_national_phone_reads_against_the_claimed_country() -> None:
    p = normalize_phone("(512) 555-0102", "US")
    assert p.e164 == "+15125550102" and p.region == "US"
    # an explicit country code wins over the claim
    k = normalize_phone("+82 10 1234 5678", "US")
    assert k.e164 == "+821012345678" and k.region == "KR"


def test_phone_without_country_code_or_claim_is_explained() -> None:
    p = normalize_phone("555 0102", None)
    assert p.e164 is None
    assert p.error == "no country code and no claimed country to read it against"
    assert normalize_phone("x" * 500, "US").error == "too long to be a phone number"


def test_emails_are_split_lowercased_and_idna_encoded() -> None:
    e = normalize_email(" Jon.Miller@Exämple.COM ")
    assert e.valid and e.local == "jon.miller"
    assert e.domain == "xn--exmple-cua.com"
    bad = normalize_email("not an email")
    assert not bad.valid and bad.error


def test_links_know_their_kind_and_handle_without_fetching() -> None:
    assert normalize_link("https://www.linkedin.com/in/ana-souza-eng/").handle == "ana-souza-eng"
    gh = normalize_link("github.com/AnaSouza")
    assert (gh.kind, gh.handle) == ("github", "anasouza")
    assert normalize_link("https://ana.netlify.app").kind == "free_host"
    assert normalize_link("https://t.me/someone").kind == "telegram"
    assert normalize_link("http://[::1").kind == "invalid"


def test_addresses_compare_equal_across_formatting() -> None:
    a = normalize_address(
        AddressInput(
            line1="12 Oak Street, Apt. 4", city="Austin", postal_code="78701", country="US"
        )
    )
    b = normalize_address(
        AddressInput(line1="12 oak st #4", city="AUSTIN", postal_code="78701", country="US")
    )
    c = normalize_address(AddressInput(line1="14 Oak St", city="Austin", country="US"))
    assert a.key == b.key
    assert a.key != c.key


def test_payment_method_and_platform_are_folded() -> None:
    crypto = normalize_payment(PaymentInput(method="USDT (TRC20)", wallets=["Tabc"]))
    assert crypto.method == "crypto"
    wise = normalize_payment(PaymentInput(method="TransferWise", account_holder="Ana Souza"))
    assert (wise.method, wise.platform) == ("platform", "wise")
    bank = normalize_payment(PaymentInput(method="Direct deposit to my bank"))
    assert bank.method == "bank" and bank.platform is None


def test_normalize_builds_the_whole_application() -> None:
    raw = RawApplication(
        data=parse_application(
            {
                "id": "a1",
                "name": "Ana Souza",
                "emails": ["ana@example.com", " "],
                "phones": ["912 345 678"],
                "location": {"country": "PT"},
                "employment": [
                    {
                        "employer": "X",
                        "start": "2019-03",
                        "end": "present",
                        "website": "https://www.x.example/about",
                    }
                ],
            }
        )
    )
    app = normalize(raw)
    assert app.id == "a1"
    assert [e.address for e in app.emails] == ["ana@example.com"]
    assert app.phones[0].e164 == "+351912345678"
    job = app.employment[0]
    assert job.period.current and job.period.start is not None and job.period.start.month == 3
    assert job.website_domain == "x.example"


@given(st.text(max_size=200))
def test_name_normalization_never_fails(text: str) -> None:
    n = normalize_name(text)
    assert "\u200b" not in n.display
    assert all(t == t.casefold() for t in n.tokens)


@given(
    st.from_regex(
        r"[A-Za-z0-9._+'-]{1,20}@[A-Za-z0-9.-]{1,30}\.(com|org|test|local|io|x)", fullmatch=True
    )
)
@example("0@00--0.com")  # a reserved "??--" label, which only IDNA-aware checking refuses
@example("a@xn--0.com")
def test_fast_path_agrees_with_the_validator(address: str) -> None:
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(address, check_deliverability=False, allow_smtputf8=True)
        expected: str | None = f"{result.local_part.lower()}@{result.ascii_domain.lower()}"
    except EmailNotValidError:
        expected = None
    got = normalize_email(address)
    assert got.valid == (expected is not None)
    if expected is not None:
        assert got.address == expected
