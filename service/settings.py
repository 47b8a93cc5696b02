"""Every setting of the service, declared and documented in one place. Values come from
``RENCAI_*`` environment variables or a ``.env`` file; nothing is read at import time:
``Settings()`` is built by the caller and passed to ``create_app``."""

from __future__ import annotations

from datetime import date
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 8


def secret_key_problem(secret: str) -> str | None:
    """Why ``secret`` cannot sign production tokens, or ``None``: a short or guessable key
    lets anyone forge an admin's token."""
    if secret == DEFAULT_SECRET:
        return "is the development default"
    if len(secret) < MIN_SECRET_LENGTH:
        return f"has {len(secret)} characters; expected at least {MIN_SECRET_LENGTH}"
    if len(set(secret)) < MIN_SECRET_DISTINCT:
        return (
            f"repeats {len(set(secret))} distinct characters; expected at least "
            f"{MIN_SECRET_DISTINCT} (a random value)"
        )
    return None


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RENCAI_", env_file=".env", extra="ignore", validate_default=True
    )

    environment: Literal["development", "test", "production"] = Field(
        "development",
        description="`production` refuses to start with a weak secret key (the default, "
        "shorter than 32 characters, or fewer than 8 distinct characters).",
    )
    data_dir: Path = Field(
        Path("var"),
        description="Folder for the embedded SQLite file, the FAISS index and caches.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL. Empty means the embedded SQLite file "
        "`<data_dir>/rencai.db`; e.g. `postgresql+psycopg://user@127.0.0.1:5432/rencai`.",
    )
    secret_key: str = Field(
        DEFAULT_SECRET,
        description="Signs login tokens. Production needs at least 32 random characters.",
    )
    token_ttl_minutes: int = Field(
        8 * 60, ge=1, le=7 * 24 * 60, description="How long a login token stays valid."
    )
    display_timezone: str = Field(
        "Asia/Shanghai",
        description="IANA time zone in which pages, exports and e-mails show times, labelled "
        "with the zone's name (e.g. 16:35 北京时间); instants are stored in UTC.",
    )
    login_attempts_per_minute: int = Field(
        10,
        ge=1,
        description="Failed logins allowed per account in one throttle window (a minute by "
        "default), counted over every worker and node; then 429 with `Retry-After`.",
    )
    login_failures_per_client: int = Field(
        10,
        ge=1,
        description="Failed logins allowed per client address in one throttle window, "
        "whatever usernames it tries.",
    )
    login_window_seconds: int = Field(
        60, ge=1, le=24 * 3600, description="Length of the login throttle window in seconds."
    )
    redis_url: str = Field(
        "",
        description="Redis URL (e.g. `redis://127.0.0.1:6379/0`) for the login throttle's "
        "counters. Empty keeps them in the database, shared just the same.",
    )
    trusted_proxies: str = Field(
        "",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "`X-Forwarded-For` is believed (e.g. `10.0.0.5,10.1.0.0/16`). Empty trusts none: "
        "the client is the connecting address.",
    )
    max_body_bytes: int = Field(
        2 * 1024 * 1024, ge=1024, description="Larger request bodies are refused with 413."
    )
    max_upload_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="Largest spreadsheet accepted for import."
    )
    max_evidence_bytes: int = Field(
        5 * 1024 * 1024,
        ge=1024,
        description="Largest evidence file (PDF, PNG, JPEG or XLSX) attached to a ledger "
        "entry; a larger one gets 413 and nothing is stored.",
    )
    sqlite_busy_timeout_seconds: float = Field(
        30.0,
        ge=0,
        le=600,
        description="Embedded SQLite: how long a write waits for another writer's lock "
        "before the database reports itself locked.",
    )
    write_retry_attempts: int = Field(
        5,
        ge=1,
        le=20,
        description="Times a write request is run when the database reports a lock "
        "conflict (SQLite locked/busy; PostgreSQL serialization failure or deadlock); "
        "after the last one the answer is 503 with a message.",
    )
    write_retry_delay_ms: int = Field(
        50,
        ge=0,
        le=10_000,
        description="First pause before retrying such a write; it doubles each attempt "
        "(capped at 2 s), with random jitter.",
    )
    job_lease_seconds: int = Field(
        60,
        ge=1,
        le=24 * 3600,
        description="A batch run not heard from (heartbeat) for this long is treated as "
        "abandoned by a dead process and marked failed at the next start-up or run.",
    )
    job_worker: bool = Field(
        True,
        description="Carry out batch runs in a background thread of `rencai serve` (the "
        "request only queues them; a database claim lets one node take each run). False: "
        "the request that queues a run carries it out (tests, single-user tools).",
    )
    job_poll_seconds: float = Field(
        2.0, gt=0, le=3600, description="How often the job runner looks for queued runs."
    )
    demo_password: str = Field(
        "rencai2020", description="Password given to every demo account by `rencai init`."
    )
    plan_years: tuple[int, ...] = Field(
        (2020, 2021, 2022, 2023, 2024, 2025, 2026),
        description="Years for which the plan's yearly targets are tracked.",
    )
    encoder: str = Field(
        "use-multilingual",
        description="Sentence encoder: `use-multilingual` (bundled, reads Chinese) or "
        "`st:/path/to/sentence-transformers-model`.",
    )
    encoder_runtime: Literal["onnx-int8", "numpy"] = Field(
        "numpy",
        description="How `use-multilingual` runs: `numpy` (the package's own float32 forward "
        "pass) or `onnx-int8` (the same model as an ONNX graph with int8 products, built from "
        "the package's weights at first use and cached under `RENCAI_DATA_DIR/models`; 5.7x "
        "faster, the same ranking). Switching re-encodes the profiles once.",
    )
    faiss_factory: str = Field(
        "Flat", description="FAISS index factory string, e.g. `Flat`, `HNSW32`, `IVF256,Flat`."
    )
    assignment_lp_solver: Literal["auto", "flow", "highs"] = Field(
        "auto",
        description="Solver of a batch run whose model is a network: `flow` (OR-Tools' "
        "min-cost flow), `highs` (the HiGHS LP) or `auto` (the flow when OR-Tools is there).",
    )
    candidate_pool: int = Field(
        200, ge=10, le=5000, description="Talents retrieved per need before filtering."
    )
    matching: dict[str, Any] = Field(
        default_factory=dict,
        description="Overrides of any matching-engine option (a field of "
        "`matching.config.MatchingConfig`) as JSON, e.g. "
        '`{"weights": {"semantic": 1, "lexical": 1, "skills": 0.5}, "fusion": "zscore"}`.',
    )
    long_placement_min_days: int = Field(
        180,
        ge=1,
        le=3650,
        description="A need served on site long-term (`onsite_long`) for at least this many "
        "days is a long placement (挂职、选派、三支一扶、特岗): it occupies the talent "
        "full-time over its dates instead of spending days of their yearly budget. One "
        "setting for the engine, the approval checks and batch runs.",
    )
    engine_sync_seconds: float = Field(
        2.0,
        ge=0,
        description="How often the matching engine looks for changes made by other "
        "processes (an import from the CLI); this process's own changes apply at once.",
    )
    engine_commit_wait_seconds: float = Field(
        10.0,
        ge=0,
        description="How long a query made just after this process committed a change "
        "waits for the matching engine's background thread to apply it before it answers "
        "from the state it has.",
    )
    message_rate_per_hour: int = Field(
        10,
        ge=1,
        le=1000,
        description="Messages one person may post on one match per hour (questions "
        "before a decision); the next answers 429.",
    )
    native_threads: int = Field(
        1,
        ge=0,
        le=256,
        description="Threads of the native maths libraries (OpenBLAS, OpenMP) in each "
        "server process; 0 keeps their default of one per core. One request's products "
        "are small, so a second thread mostly spins between them and takes a core from "
        "the other workers: at 100,000 talents an uncached candidates request cost 33 ms "
        "of CPU with the default and 22 ms with 1. Batch runs use `rank_threads` threads "
        "of their own.",
    )
    even_out_connections: bool = Field(
        True,
        description="With `rencai serve --workers N` (N > 1): a worker answering more than "
        "one request above the least busy worker closes a kept connection after its "
        "response, so the client reconnects to an idle worker (service/balance.py). "
        "Without it, clients that keep their connections stay where they first landed; "
        "with four clients over two workers one worker often held three.",
    )
    worker_loads_file: Path | None = Field(
        None,
        description="Set by `rencai serve --workers N` for its workers: the shared table "
        "of each worker's requests in flight that `even_out_connections` reads. Leave it "
        "empty; with one worker, or behind a proxy that balances each request, it is "
        "not used.",
    )
    gc_young_threshold: int = Field(
        20_000,
        ge=0,
        le=10_000_000,
        description="Net allocations between runs of Python's cycle collector over the "
        "youngest objects in each `rencai serve` process; 0 keeps Python's default "
        "(700). At 100,000 talents, 300 uncached lists in one process spent 90 ms in "
        "the collector with 700, including two full collections of 14 and 40 ms in the "
        "middle of a list, and 23 ms with 20,000, with no full collection "
        "(service/collector.py).",
    )
    lists_at_once: int = Field(
        1,
        ge=0,
        le=64,
        description="Candidate and suggestion lists one server process makes at the same "
        "time; more wait their turn, first come first served. 0 sets no limit. A list is "
        "CPU work under one GIL: two made at once take as long together as one after the "
        "other, but each C call (SQLite, FAISS, SciPy) that lets the GIL go waits up to "
        "the switch interval to get it back, so the pair finishes later than in turn.",
    )
    warm_engine_on_start: bool = Field(
        True, description="Fit the matching engine in the background when the server starts."
    )
    embeddings_in_database: bool | None = Field(
        None,
        description="Keep the embedding cache in the database (table `text_embedding`), "
        "shared by every process and node, so a new node starts without re-encoding. "
        "Empty means yes on PostgreSQL and no on the embedded SQLite database, where the "
        "cache is a file under the data folder (it would compete for SQLite's one writer).",
    )
    log_level: str = Field("INFO", description="Python logging level.")
    today: date | None = Field(
        None,
        description="The date needs expire against (a need is `expired` once its end date "
        "is before it). Empty means the current date in China (UTC+8); set it to show a "
        "fixed demo population as of a given day.",
    )
    people_high_altitude_m: float = Field(
        2500.0,
        ge=0,
        le=9000,
        description="Altitude (metres) at or above which a recruitment's place brings the "
        "高海拔地区折算工龄补贴 of measure 7; the page shows the rule with this figure.",
    )
    cjk_font: Path | None = Field(
        None,
        description="A font file with Chinese glyphs (TTF, OTF or TTC) for the printable "
        "service certificate; empty means the first of the usual Noto CJK / WenQuanYi "
        "locations that exists. The PDF embeds the glyphs it uses.",
    )
    api_docs: bool | None = Field(
        None,
        description="Serve the interactive API docs (`/docs`, `/redoc`, `/openapi.json`). "
        "Empty means on, except in `production`.",
    )

    # --- learned ranker (see README, "The learned ranker")
    ranker_enabled: bool = Field(
        True,
        description="Let a saved learned ranker rank lists where it beat the hand weights "
        "on held-out decisions; false ranks every list by the hand weights.",
    )
    engine_state_dir: Path | None = Field(
        None,
        description="Folder where the fitted matching engine is saved after a fit and "
        "loaded (memory-mapped, shared by the workers) at start. Empty means "
        "`<data_dir>/engine_state`; `off` turns saving and loading off.",
    )
    ranker_dir: Path | None = Field(
        None,
        description="Folder of saved learned rankers (`<scope>/v<NNN>/model.json` and "
        "`manifest.json`). Empty means `<data_dir>/rankers`.",
    )
    ranker_min_decisions: int = Field(
        100,
        ge=1,
        description="Decisions (candidates with an outcome beyond being shown) the "
        "prefecture needs before `rencai ranker train` fits a ranker; fewer keep the hand "
        "weights.",
    )
    ranker_county_min_decisions: int = Field(
        300,
        ge=1,
        description="Decisions a county needs for a ranker of its own; a county with fewer "
        "uses the prefecture's.",
    )
    relevance_floor: float = Field(
        0.07,
        ge=0,
        le=3,
        description="Candidates and suggestions whose relevance (the hand-weighted semantic, "
        "lexical and skills values) is below this are not shown; chosen on the dev "
        "evaluation sets with `rencai eval floor` (highest mean F1 of each need's first page).",
    )
    ranker_min_gain: float = Field(
        0.005,
        ge=0,
        le=1,
        description="How much higher the learned ranker's held-out nDCG@10 must be than the "
        "hand weights' (with an AUC no lower) before the engine uses it.",
    )
    ranker_rerank_depth: int = Field(
        20,
        ge=1,
        le=1000,
        description="The learned ranker re-orders the hand weights' best this many "
        "candidates of a list.",
    )
    ranker_position_bias: float = Field(
        1.0,
        ge=0,
        le=3,
        description="Position-bias exponent eta: a candidate at rank r counts as examined "
        "with chance r^-eta, and an approved one is weighted by its inverse (0 turns the "
        "correction off).",
    )
    ranker_feedback_step: float = Field(
        0.2,
        ge=0,
        le=5,
        description="Weight one categorised decline or rejection reason adds to its feature "
        "for the site's needs (twice for the need it was given on); see README.",
    )
    ranker_feedback_cap: float = Field(
        0.6, ge=0, le=10, description="Most weight feedback may add to one feature."
    )
    ranker_feedback_days: int = Field(
        365, ge=1, le=3650, description="Decline and rejection reasons older than this are ignored."
    )
    impression_flush_rows: int = Field(
        200,
        ge=1,
        le=100_000,
        description="Impressions (the candidates shown, for training the ranker) are "
        "buffered in the process and written in one insert once this many wait.",
    )
    impression_flush_seconds: float = Field(
        2.0,
        gt=0,
        le=3600,
        description="Buffered impressions are also written once the oldest has waited this "
        "long (by a background thread).",
    )

    # --- notify
    notify_worker: bool = Field(
        True,
        description="Run the notification worker inside `rencai serve` (a background "
        "thread). One worker per deployment sends, chosen by a database lease; set false "
        "when `rencai notify worker` runs separately.",
    )
    notify_poll_seconds: float = Field(
        1.0, gt=0, le=3600, description="How often the worker looks for due deliveries."
    )
    notify_lease_seconds: float = Field(
        30,
        gt=0,
        le=3600,
        description="The worker's lease: another worker takes over once it is this old, "
        "and a claimed delivery not marked within it is sent again.",
    )
    notify_max_attempts: int = Field(
        3, ge=1, le=20, description="Failed sends of one delivery before it is marked failed."
    )
    notify_retry_seconds: float = Field(
        60,
        ge=0,
        le=86400,
        description="Pause before the first retry of a failed send; it doubles each attempt.",
    )
    notify_scan_seconds: float = Field(
        3600,
        gt=0,
        description="How often the worker looks for needs about to expire and service records due.",
    )
    notify_expiry_days: int = Field(
        7, ge=1, le=365, description="An open need ending within this many days is announced."
    )
    notify_record_days: int = Field(
        30,
        ge=1,
        le=365,
        description="An active match with no service record for this many days is due one.",
    )
    notify_digest_hour: int = Field(
        8, ge=0, le=23, description="Local hour at which a daily digest is sent."
    )
    smtp_host: str = Field("", description="SMTP server for e-mail; empty turns e-mail off.")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP port.")
    smtp_user: str = Field("", description="SMTP login; empty sends without one.")
    smtp_password: str = Field("", description="SMTP password.")
    smtp_from: str = Field("rencai@localhost", description="Sender address of e-mails.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    webhook_url: str = Field(
        "",
        description="HTTP webhook (企业微信/钉钉 group robot, SMS gateway) receiving "
        '`{"msgtype":"text","text":{"content":…}}`; empty turns it off.',
    )
    webhook_county_urls: dict[str, str] = Field(
        default_factory=dict,
        description='Per-county webhook URLs as JSON, e.g. `{"532301": "https://…"}`; '
        "a county not listed uses `webhook_url`.",
    )

    @property
    def api_docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.environment != "production"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry ``Secure`` in production, which is served over HTTPS."""
        return self.environment == "production"

    @field_validator("matching")
    @classmethod
    def _known_matching_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        from matching.config import config_field_names

        unknown = sorted(set(value) - set(config_field_names()))
        if "long_placement_min_days" in value:
            raise ValueError(
                "matching option long_placement_min_days is a setting of its own, read by "
                "the engine and the service's checks alike; expected "
                "RENCAI_LONG_PLACEMENT_MIN_DAYS instead"
            )
        if unknown:
            raise ValueError(
                f"unknown matching options {unknown}; expected some of {config_field_names()}"
            )
        return value

    @field_validator("display_timezone")
    @classmethod
    def _zone_exists(cls, value: str) -> str:
        from service.timefmt import zone

        try:
            zone(value)
        except ValueError as exc:
            raise ValueError(f"RENCAI_DISPLAY_TIMEZONE: {exc}") from None
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        for item in _split(value):
            try:
                ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"RENCAI_TRUSTED_PROXIES: {item!r} is not an IP address or network; "
                    "expected e.g. `10.0.0.5,10.1.0.0/16`"
                ) from None
        return value

    @field_validator("demo_password")
    @classmethod
    def _demo_password_meets_policy(cls, value: str) -> str:
        from service.passwords import password_problem

        problem = password_problem(value)
        if problem is not None:
            raise ValueError(f"RENCAI_DEMO_PASSWORD {problem.message_en}")
        return value

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Settings:
        if self.environment == "production":
            problem = secret_key_problem(self.secret_key)
            if problem:
                raise ValueError(
                    f"RENCAI_SECRET_KEY {problem}; set a long random value, "
                    "e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
                )
        return self

    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(item, strict=False) for item in _split(self.trusted_proxies))

    @property
    def resolved_ranker_dir(self) -> Path:
        return self.ranker_dir if self.ranker_dir is not None else self.data_dir / "rankers"

    @property
    def shares_embeddings(self) -> bool:
        """Whether the embedding cache lives in the database (``embeddings_in_database``)."""
        if self.embeddings_in_database is not None:
            return self.embeddings_in_database
        return self.resolved_database_url.startswith("postgresql")

    @property
    def resolved_engine_state_dir(self) -> Path | None:
        if self.engine_state_dir is not None and str(self.engine_state_dir) == "off":
            return None
        if self.engine_state_dir is not None:
            return self.engine_state_dir
        return self.data_dir / "engine_state"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'rencai.db'}"

    def matching_config(self, **extra: Any) -> Any:
        """The engine's configuration: the named settings, then the JSON overrides."""
        from matching.config import MatchingConfig

        options: dict[str, Any] = {
            "encoder": self.encoder,
            "encoder_runtime": self.encoder_runtime,
            "encoder_model_dir": str(self.data_dir / "models"),
            "index_factory": self.faiss_factory,
            "candidate_pool": self.candidate_pool,
            "long_placement_min_days": self.long_placement_min_days,
            "rerank_depth": self.ranker_rerank_depth,
            "embedding_cache_dir": str(self.data_dir / "embeddings"),
            "show_progress": False,
        }
        options.update(self.matching)
        options.update(extra)
        if "lexical_ngram_range" in options:
            options["lexical_ngram_range"] = tuple(options["lexical_ngram_range"])
        return MatchingConfig(**options)
