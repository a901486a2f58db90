"""Sharing a citizens' survey (issue 14, item 3), in a real browser: after publishing, the page
shows the public link with a copy button and a QR code, and a printable A4 notice (PDF) with the
title, the QR code, the link, the closing date and the anonymity promise. The test reads both QR
codes back with zxing-cpp and prints the PDF's page with poppler."""

import io
import subprocess
from datetime import UTC, datetime

import zxingcpp
from factories import PASSWORD, make_survey
from PIL import Image

from surveys.models import Role, UnitKind
from surveys.org import create_unit


def _decode(png: bytes) -> str:
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    return found.text


def test_an_author_shares_a_published_survey(page, world, session, axe, tmp_path):
    ward = create_unit(session, code="MX", name="Phường Minh Xuân", kind=UnitKind.WARD, parent=world.P)
    author = world.users[Role.AUTHOR]
    closes = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)  # 23:59 on 31/12/2026 in Vietnam
    survey = make_survey(
        session,
        owner=world.A,
        units=[ward],
        audience="citizens",
        author=author,
        publish=False,
        title="Khảo sát sự hài lòng về dịch vụ hành chính công",
        closes_at=closes,
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/login")
    page.fill("#login", author.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/dashboard")
    page.goto(f"/surveys/{survey.id}")
    assert page.locator("#share").count() == 0  # no link before publishing
    page.get_by_role("link", name="Mở khảo sát").click()
    page.get_by_role("button", name="Xác nhận mở khảo sát").click()
    page.get_by_text("Khảo sát đã mở.").wait_for()

    link = page.locator("#public-link").get_attribute("href")
    assert "/s/" in link
    page.get_by_role("button", name="Sao chép").click()
    page.get_by_text("Đã sao chép.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == link
    axe(page, "survey page with sharing")

    # The QR code on the page opens the link.
    assert _decode(page.locator("#qr-code").screenshot()) == link

    # The notice: one A4 page with every block, its QR code read back from the printed page.
    with page.expect_download() as download:
        page.locator("#notice-pdf").click()
    pdf = tmp_path / "thong-bao.pdf"
    download.value.save_as(pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "(A4)" in info
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(printed.split())
    for block in (
        "SỞ A",
        "THÔNG BÁO",
        "Khảo sát sự hài lòng về dịch vụ hành chính công",
        link,
        "Hạn trả lời: đến 23:59 31/12/2026",
        "Khảo sát ẩn danh",
        "từ 5 người trở lên",
    ):
        assert block in text, block
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    assert _decode((tmp_path / "page.png").read_bytes()) == link
