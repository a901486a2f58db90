"""Versions of the NLP models: retraining on reviewers' corrections behind a gate, activation
and rollback (``flask nlp retrain``, ``flask nlp rollback``, the weekly ``nlp_retrain`` job).

Every version lives in a folder of its own under ``root`` (the instance folder's
``nlp-models/``), recorded in ``model_versions`` with its figures. Before the first retraining
the model in use (the shipped one, or ``NLP_MODEL_DIR``) is copied in as the first version.
Retraining trains on the shipped data plus every reviewer's correction
(``nlp.training.train_all``), measures the new version and the active one on the same fixed
evaluation sets, and activates the new one only when no set and task got worse beyond noise
(``nlp.evaluation.regressions``). Tags carry their model version, so once a version is active
the tagging worker re-tags every answer with it, batch by batch, in the background. No Flask.
"""

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit, tagging
from .errors import N_, DomainError
from .models import ModelState, ModelVersion, User, utcnow


@dataclass(frozen=True)
class Retraining:
    version: ModelVersion
    activated: bool
    regressions: list[str]
    to_retag: int  # answers the worker will tag again with the new version


def active(session: Session) -> ModelVersion | None:
    return session.scalar(select(ModelVersion).where(ModelVersion.state == ModelState.ACTIVE))


def active_directory(session: Session, root: Path) -> Path | None:
    """The folder of the active version, or None while no version was ever recorded."""
    directory = session.scalar(select(ModelVersion.directory).where(ModelVersion.state == ModelState.ACTIVE))
    return Path(root) / directory if directory else None


def card(session: Session, root: Path, start: Path | None) -> dict[str, Any] | None:
    """The model card (card.json) of the models in use: the active version's, else ``start``'s
    (the shipped models or NLP_MODEL_DIR); None when there is none."""
    from nlp.training import MODELS_DIR

    directory = active_directory(session, root) or start or MODELS_DIR
    path = Path(directory) / "card.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _next_folder(session: Session, root: Path) -> str:
    number = (session.scalar(select(func.max(ModelVersion.id))) or 0) + 1
    name = f"{number:04d}"
    while (root / name).exists():  # left by a run that failed before it was recorded
        number += 1
        name = f"{number:04d}"
    return name


def _register_start(session: Session, root: Path, start: Path | None) -> ModelVersion:
    """The models in use before any retraining, copied in as the first version (active)."""
    from nlp import load_tagger
    from nlp.training import MODELS_DIR

    folder = _next_folder(session, root)
    shutil.copytree(start or MODELS_DIR, root / folder)
    first = ModelVersion(
        version=load_tagger(root / folder).version,
        directory=folder,
        state=ModelState.ACTIVE,
        activated_at=utcnow(),
        figures={},
        regressions=[],
    )
    session.add(first)
    session.commit()
    return first


def _train_and_compare(
    root: Path, current: Path, corrections: list[dict], sources, eval_sets
) -> tuple[Path, dict, dict, list[str]]:
    """Train into a fresh folder; measure it and the active version on the same sets."""
    from nlp.evaluation import default_sets, evaluate_model, regressions
    from nlp.training import train_all

    eval_sets = default_sets() if eval_sets is None else eval_sets
    staging = Path(tempfile.mkdtemp(prefix=".training-", dir=root))
    try:
        figures = train_all(staging, extra_rows=corrections, sources=sources, eval_sets=eval_sets)["evaluation"]
        baseline = evaluate_model(current, eval_sets)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, figures, baseline, regressions(baseline, figures)


def retrain(session: Session, root: Path, start: Path | None = None, *, sources=None, eval_sets=None) -> Retraining:
    """Train a new version on the shipped data and the reviewers' corrections, and activate it
    when it is not worse than the active one on any evaluation set (else record it as refused).

    ``start``: the models in use before any retraining (None: the shipped ones). ``sources`` and
    ``eval_sets`` as ``nlp.training.train_all`` takes them (None: the shipped data and the fixed
    evaluation sets). Commits; no transaction is held while it trains (minutes)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    current = active(session) or _register_start(session, root, start)
    corrections = tagging.correction_rows(session)
    current_dir = root / current.directory
    session.commit()
    staging, figures, baseline, found = _train_and_compare(root, current_dir, corrections, sources, eval_sets)
    folder = _next_folder(session, root)
    staging.rename(root / folder)
    new = ModelVersion(
        version=json.loads((root / folder / "card.json").read_text(encoding="utf-8"))["model_version"],
        directory=folder,
        state=ModelState.REFUSED,
        corrections=len(corrections),
        figures=figures,
        baseline=baseline,
        regressions=found,
    )
    session.add(new)
    session.flush()
    if found:
        audit.record(session, None, "nlp.model_refused", new, previous=current.version, regressions=found)
    else:
        _switch(session, current, new, ModelState.RETIRED)
        audit.record(session, None, "nlp.model_activated", new, previous=current.version, corrections=len(corrections))
    session.commit()
    to_retag = 0 if found else tagging.pending_count(session, new.version)
    return Retraining(new, not found, found, to_retag)


def _switch(session: Session, current: ModelVersion, new: ModelVersion, leaving: ModelState) -> None:
    current.state = leaving
    session.flush()  # never two active versions, even for a moment
    new.state, new.activated_at = ModelState.ACTIVE, utcnow()


def rollback(session: Session, actor: User | None = None) -> ModelVersion:
    """Withdraw the active version and activate the one active before it; the worker then
    re-tags every answer with it. Refused when there is no earlier version. Does not commit."""
    current = active(session)
    if current is None:
        raise DomainError(N_("Chưa có phiên bản mô hình nào được ghi nhận; không có gì để quay lại."))
    earlier = session.scalar(
        select(ModelVersion)
        .where(ModelVersion.state == ModelState.RETIRED)
        .order_by(ModelVersion.activated_at.desc(), ModelVersion.id.desc())
        .limit(1)
    )
    if earlier is None:
        raise DomainError(N_("Không có phiên bản mô hình nào trước phiên bản đang dùng."))
    _switch(session, current, earlier, ModelState.ROLLED_BACK)
    audit.record(session, actor, "nlp.model_rolled_back", earlier, withdrawn=current.version)
    return earlier


def history(session: Session) -> list[ModelVersion]:
    return list(session.scalars(select(ModelVersion).order_by(ModelVersion.id)))
