"""What the integrations add to a running service: outbox senders and periodic workers.

bot/app.py calls `senders_for(runtime)` (job kind -> async sender) before it starts the outbox worker
and `workers_for(runtime)` (objects with async start()/stop()) after. LAPOR! is switched on by
LAPOR_BASE_URL + LAPOR_TOKEN; the deadline worker (reminders, escalation, digest) always runs; the area
pass (kecamatan/desa from pins) runs when WARGA_MAP_BOUNDARIES is set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from actions.common import JOB_LAPOR_FOLLOWUP
from integrations.lapor import LaporClient, LaporConfig, LaporFollowupPusher, LaporPusher, LaporSync
from integrations.sla import SlaWorker

logger = logging.getLogger(__name__)


@dataclass
class LaporParts:
    """The one LAPOR! client of a service and what uses it."""

    client: LaporClient
    pusher: LaporPusher
    followups: LaporFollowupPusher
    sync: LaporSync


def config_for(runtime: Any) -> LaporConfig:
    cached = getattr(runtime, "_lapor_config", None)
    if cached is None:
        cached = LaporConfig.load(runtime.settings.content_dir / "lapor.yml")
        runtime._lapor_config = cached
    return cached


def lapor_for(runtime: Any) -> LaporParts | None:
    """The LAPOR! parts of this runtime (built once), or None when LAPOR! is switched off."""
    settings = runtime.settings
    if not settings.lapor.enabled:
        return None
    parts = getattr(runtime, "_lapor_parts", None)
    if parts is None:
        config = config_for(runtime)
        client = LaporClient(settings.lapor, config)
        services = runtime.services
        parts = LaporParts(
            client=client, pusher=LaporPusher(services, client), followups=LaporFollowupPusher(services, client),
            sync=LaporSync(services, client, settings.lapor.sync_interval, batch=config.sync_batch,
                           concurrency=config.sync_concurrency),
        )
        runtime._lapor_parts = parts
    return parts


async def senders_for(runtime: Any) -> dict[str, Any]:
    from actions.letters import JOB_ISSUE, LetterIssuer
    from integrations.signing import make_signer

    parts = lapor_for(runtime)
    senders: dict[str, Any] = {"lapor_create": parts.pusher, JOB_LAPOR_FOLLOWUP: parts.followups} if parts else {}
    senders[JOB_ISSUE] = LetterIssuer(runtime.services, lambda: make_signer(runtime.settings.letters))
    return senders


async def workers_for(runtime: Any) -> list[Any]:
    """The LAPOR! sync (it also closes the LAPOR! client when stopped) and the deadline worker."""
    workers: list[Any] = []
    parts = lapor_for(runtime)
    if parts is not None:
        workers.append(parts.sync)
    workers.append(SlaWorker(runtime.services, config_for(runtime).sla, runtime.settings.digest_time))
    from integrations.letter_deadlines import LetterDeadlineWorker

    workers.append(LetterDeadlineWorker(runtime.services))
    from integrations.report_card import ReportCardWorker  # the weekly OPD report card (issue #15)

    workers.append(ReportCardWorker(runtime.services))
    boundaries_file = runtime.settings.web.map_boundaries
    if boundaries_file is not None:  # kecamatan/desa from location pins (issue #15); the desk checked the file
        from actions.areas import Boundaries
        from integrations.areas import AreaWorker

        workers.append(AreaWorker(runtime.services, Boundaries.load(boundaries_file)))
    return workers
