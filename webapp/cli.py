"""Command-line tools: ``flask demo load``, ``flask users …``, ``flask org …``."""

import logging

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from surveys import demo, model_versions, org, people, summaries, tagging
from surveys.errors import DomainError
from surveys.models import ModelState, Role
from surveys.timeutil import format_datetime, local_today

from .extensions import db
from .nlp_tagger import get_tagger
from .scheduler import build_service, retrain_models, send_queued_mail
from .summaries.delivery import run_summaries

demo_cli = AppGroup("demo", help="Dữ liệu mẫu.")
users_cli = AppGroup("users", help="Tài khoản người dùng.")
org_cli = AppGroup("org", help="Cây tổ chức.")
scheduler_cli = AppGroup("scheduler", help="Bộ lập lịch: tóm tắt hằng tuần, gắn nhãn, gửi thư.")
mail_cli = AppGroup("mail", help="Hàng đợi thư đi.")
nlp_cli = AppGroup("nlp", help="Phân tích ý kiến: gắn nhãn, huấn luyện lại, phiên bản mô hình.")
summaries_cli = AppGroup("summaries", help="Tóm tắt tâm tư, nguyện vọng hằng tuần.")


@demo_cli.command("load")
def load_demo():
    """Nạp dữ liệu mẫu (chỉ lần đầu)."""
    if demo.load(db.session):
        db.session.commit()
        click.echo("Đã nạp dữ liệu mẫu. Mật khẩu mọi tài khoản mẫu: " + demo.DEMO_PASSWORD)
    else:
        click.echo("Dữ liệu mẫu đã có sẵn; không thay đổi gì.")


@users_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.password_option()
def create_admin(email: str, full_name: str, password: str):
    """Tạo tài khoản quản trị."""
    try:
        user = people.create_user(
            db.session, full_name=full_name, email=email, phone=None, unit=None, password=password
        )
        people.assign_role(db.session, user, Role.ADMIN)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Đã tạo tài khoản quản trị {email}.")


@users_cli.command("import")
@click.argument("csv_file", type=click.File(encoding="utf-8-sig"))
def import_users(csv_file):
    """Nhập danh sách cán bộ từ tệp CSV; có lỗi thì không nhập dòng nào."""
    report = people.import_staff_csv(db.session, csv_file.read(), actor=None)
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(
                f"Dòng {error.line}: {error.message % error.params if error.params else error.message}", err=True
            )
        raise click.ClickException("Không nhập tệp vì có lỗi.")
    db.session.commit()
    click.echo(f"Đã nhập {len(report.created)} tài khoản.")


@users_cli.command("create-token")
@click.argument("login")
@click.option("--name", default="api", help="Tên gợi nhớ của mã.")
def create_token(login: str, name: str):
    """Tạo mã truy cập API cho một tài khoản (mã chỉ hiện một lần)."""
    user = people.find_by_login(db.session, login)
    if user is None:
        raise click.ClickException("Không tìm thấy tài khoản.")
    token = people.create_api_token(db.session, user, name)
    db.session.commit()
    click.echo(token)


@org_cli.command("import-divisions")
@click.argument("province_code", type=int)
def import_divisions(province_code: int):
    """Nhập một tỉnh và các xã, phường theo danh mục hành chính chính thức."""
    root = org.import_divisions(db.session, province_code)
    db.session.commit()
    click.echo(f"Đã nhập {root.name}.")


@scheduler_cli.command("run")
def scheduler_run():
    """Chạy bộ lập lịch (một tiến trình dẫn đầu nhờ khóa thuê trong cơ sở dữ liệu)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    build_service(current_app._get_current_object()).run_forever()


@scheduler_cli.command("tick")
def scheduler_tick():
    """Chạy một lượt: việc định kỳ đến hạn và các hàng đợi."""
    led = build_service(current_app._get_current_object()).tick()
    click.echo("Đã chạy một lượt." if led else "Tiến trình khác đang giữ quyền chạy lịch; bỏ qua.")


@mail_cli.command("send")
def mail_send():
    """Gửi ngay các thư đang chờ."""
    sent = send_queued_mail(current_app._get_current_object(), db.session)
    click.echo(f"Đã gửi {sent} thư.")


@nlp_cli.command("tag")
def nlp_tag():
    """Gắn nhãn ngay mọi ý kiến chưa có nhãn (hoặc nhãn của mô hình cũ)."""
    tagger = get_tagger(current_app._get_current_object())
    done = tagging.tag_pending(db.session, tagger)
    click.echo(f"Đã gắn nhãn {done} ý kiến (mô hình {tagger.version}).")


@nlp_cli.command("export-corrections")
@click.argument("output", type=click.File("w", encoding="utf-8"))
def nlp_export_corrections(output):
    """Xuất các hiệu chỉnh nhãn ra tệp TSV (text, sentiment, topic) để huấn luyện lại."""
    content = tagging.export_corrections(db.session)
    output.write(content)
    click.echo(f"Đã xuất {content.count(chr(10)) - 1} hiệu chỉnh.", err=True)


STATE_NAMES = {
    ModelState.ACTIVE: "đang dùng",
    ModelState.RETIRED: "đã thay",
    ModelState.REFUSED: "bị từ chối (kém hơn)",
    ModelState.ROLLED_BACK: "đã rút lại",
}


def _accuracies(figures: dict | None) -> str:
    """ "domain_eval: sentiment 0.875, kind 0.902 …" on one line."""
    return "; ".join(
        f"{name}: " + ", ".join(f"{task} {f['accuracy']:.3f}" for task, f in tasks.items() if f.get("n"))
        for name, tasks in (figures or {}).items()
    )


@nlp_cli.command("retrain")
def nlp_retrain():
    """Huấn luyện lại mô hình với hiệu chỉnh của người duyệt; chỉ kích hoạt khi không kém hơn."""
    app = current_app._get_current_object()
    outcome = retrain_models(app, db.session)
    new = outcome.version
    click.echo(f"Phiên bản mới {new.version} (học thêm {new.corrections} hiệu chỉnh): {_accuracies(new.figures)}")
    click.echo(f"Phiên bản đang dùng, đo trên cùng các tập: {_accuracies(new.baseline)}")
    if outcome.activated:
        click.echo(f"Đã kích hoạt {new.version}; {outcome.to_retag} ý kiến sẽ được gắn nhãn lại.")
    else:
        click.echo("Kém hơn phiên bản đang dùng nên không kích hoạt: " + "; ".join(outcome.regressions))


@nlp_cli.command("rollback")
def nlp_rollback():
    """Quay lại phiên bản mô hình dùng trước phiên bản hiện tại."""
    try:
        earlier = model_versions.rollback(db.session)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    pending = tagging.pending_count(db.session, earlier.version)
    click.echo(f"Đã quay lại phiên bản {earlier.version}; {pending} ý kiến sẽ được gắn nhãn lại.")


@nlp_cli.command("versions")
def nlp_versions():
    """Các phiên bản mô hình, trạng thái và kết quả đo."""
    for version in model_versions.history(db.session):
        click.echo(
            f"{version.id}\t{version.version}\t{STATE_NAMES[version.state]}\t{format_datetime(version.trained_at)}"
            f"\t{version.corrections} hiệu chỉnh\t{_accuracies(version.figures)}"
        )


@summaries_cli.command("run")
@click.option("--week", help="Tuần ISO, ví dụ 2026-W47 (mặc định: tuần trước).")
@click.option("--scope", "scope_code", help="Mã đơn vị hoặc cấp ủy (mặc định: tất cả).")
@click.option("--no-mail", is_flag=True, help="Không gửi thư.")
def summaries_run(week: str | None, scope_code: str | None, no_mail: bool):
    """Lập (hoặc lập lại) bản tóm tắt của một tuần; mỗi người nhận chỉ nhận thư một lần."""
    week = week or summaries.previous_week(local_today())
    try:
        summaries.week_start(week)
    except ValueError:
        raise click.BadParameter("Tuần phải có dạng YYYY-Www, ví dụ 2026-W47.", param_hint="--week") from None
    app = current_app._get_current_object()
    try:
        stored = run_summaries(app, db.session, week, scope_code=scope_code, send_mail=not no_mail)
    except LookupError:
        raise click.ClickException(f"Không có đơn vị hay cấp ủy mã {scope_code}.") from None
    db.session.commit()
    click.echo(f"Đã lập {len(stored)} bản tóm tắt tuần {week}.")


def register(app: Flask) -> None:
    for group in (demo_cli, users_cli, org_cli, scheduler_cli, mail_cli, nlp_cli, summaries_cli):
        app.cli.add_command(group)
