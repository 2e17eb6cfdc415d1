"""The vocabulary a plan is written in: rubric, blocs, figures, criteria, gates, awards.

Everything is a frozen dataclass so that a rubric module reads like the
plan's own table and can be hashed (the version stamped on workbooks). A
rubric checks itself when built: an unknown input, a duplicate id or a
negative maximum is a :class:`RubricError`, never a silent wrong score.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import numpy as np

from .rules import Columns, Deductions, Event, Improvement, NotApplicable, RateScore, Rule, StepBonus, YesNo
from .vn import fold

__all__ = [
    "AtLeast", "AwardScheme", "Bands", "Basis", "Below", "Blend", "Bloc", "Cadence", "Criterion", "Deductions",
    "Event", "Figure", "FromDossiers", "How", "Improvement", "Kind", "Measure", "MinTotal", "NotApplicable",
    "PeriodReview", "RateScore", "Ratio", "RollUp", "Rubric", "RubricError", "StepBonus", "Tier", "TieBreak",
    "YesNo",
]


class RubricError(ValueError):
    """A rubric is not well formed (raised when it is built)."""


class Kind(StrEnum):
    """What a figure holds; decides how a cell is read and checked."""

    RATE = "tỷ lệ"          # stored as a fraction 0..1; typed as 0,85 / 85 / "85%"
    COUNT = "số lượng"      # whole number ≥ 0
    NUMBER = "số"           # any number ≥ 0 (e.g. a secretariat tie-break mark)
    YES_NO = "có/không"     # 1 / 0
    TEXT = "chữ"            # names (a unit's huyện), never a number


class _Word(StrEnum):
    """A StrEnum whose repr is its plain text: a rubric's repr (hence its fingerprint) reads "'tháng'"."""

    def __repr__(self) -> str:
        return repr(str(self))


class How(_Word):
    """How a figure rolls up over the rows (months) of a period (DESIGN.md §8 Periods)."""

    SUM = "cộng dồn"                   # counts, deductions
    RATIO = "tính lại từ tử số, mẫu số"  # a typed rate whose counts the rubric also has
    MAX = "lớn nhất"                   # "the worst month's late dossiers"
    MIN = "nhỏ nhất"
    LAST = "giá trị kỳ cuối"           # stocks and assessed status at the period's end
    ANY = "có ở ít nhất một kỳ"        # yes/no: achieved once counts (a plan built in March stays built)
    ALL = "có ở mọi kỳ"
    MEAN = "bình quân các kỳ"          # fallback: a rate typed without its counts


@dataclass(frozen=True)
class RollUp:
    """A figure's roll-up; ``numerator``/``denominator`` name the count figures of a :attr:`How.RATIO`."""

    how: How
    numerator: str = ""
    denominator: str = ""
    note: str = field(default="", compare=False)  # why this roll-up (shown with it; not in the fingerprint)

    def __repr__(self) -> str:
        parts = [repr(self.how)] + ([repr(self.numerator), repr(self.denominator)] if self.how is How.RATIO else [])
        return f"RollUp({', '.join(parts)})"

    def describe(self) -> str:
        text = str(self.how)
        if self.how is How.RATIO:
            text = f"tổng '{self.numerator}' ÷ tổng '{self.denominator}'"
        return f"{text} — {self.note}" if self.note else text


# The roll-up a figure gets when it declares none, from what it holds. A rate typed without its counts can
# only be averaged over the months (unweighted); the sheet and the CLI show that this rule was used.
DEFAULT_ROLLUP = {
    Kind.COUNT: RollUp(How.SUM),
    Kind.NUMBER: RollUp(How.LAST),
    Kind.RATE: RollUp(How.MEAN, note="tỷ lệ nhập không kèm số đếm: bình quân các tháng (không gia quyền)"),
    Kind.YES_NO: RollUp(How.ANY),
    Kind.TEXT: RollUp(How.LAST),
}


class Cadence(_Word):
    """When an award scheme (or a published ranking) runs."""

    MONTHLY = "tháng"
    QUARTERLY = "quý"
    YEAR_END = "năm"
    CUTOFF = "mốc ngày"   # on figures up to a date (Ninh Phước: 30/11 and 15/12/2023)


class Basis(_Word):
    """Which figures a periodic scheme is decided on."""

    OWN = "số liệu của kỳ"
    YEAR_TO_DATE = "lũy kế từ đầu năm"


@dataclass(frozen=True)
class Figure:
    """An input column: an id (column key), the Vietnamese header and its kind.

    ``scale`` applies to rates: "auto" reads a column of 0,85 as fractions and
    a column of 85 as percent and refuses a mix; "fraction" or "percent" fix it.
    """

    id: str
    label: str
    kind: Kind
    required: bool = True
    scale: str = "auto"
    source: str = ""
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()  # TEXT figures: the only names allowed (e.g. the province's huyện)
    # Plausible ceiling; None: the kind's default (validation.PLAUSIBLE_MAX). Left out of repr, hence of the
    # rubric fingerprint: it only refuses absurd input, it never changes a valid unit's score.
    maximum: float | None = field(default=None, repr=False)
    # What one unit of a count is called in a sentence ("thêm 37 hồ sơ trực tuyến"). Not in repr: wording
    # does not change a score, so it leaves the version stamped on workbooks unchanged.
    noun: str = field(default="", repr=False, compare=False)
    # A unit may type "không áp dụng" (e.g. no PAKN in the period): its criteria on this figure then score
    # their maximum, as the national portal does (DESIGN.md §8 "Not applicable ≠ zero").
    may_not_apply: bool = False
    # How the figure rolls up over months (None: :data:`DEFAULT_ROLLUP` of its kind). Not in repr: the
    # rubric's fingerprint adds the explicit ones itself (Rubric.period_terms), so a rubric that declares
    # none keeps its version.
    rollup: RollUp | None = field(default=None, repr=False)

    @property
    def roll(self) -> RollUp:
        """The roll-up in force: declared, or the default of the figure's kind."""
        return self.rollup if self.rollup is not None else DEFAULT_ROLLUP[self.kind]


@dataclass(frozen=True)
class Ratio:
    """A derived rate a / b, checked: b > 0 and a ≤ b."""

    id: str
    label: str
    numerator: str
    denominator: str
    required: bool = True  # False: b = 0 leaves the figure empty (e.g. a tie-break), not an error

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    def value(self, cols: Columns) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.asarray(cols[self.numerator], dtype=float) / np.asarray(cols[self.denominator], dtype=float)

    def sign(self, column: str) -> int:
        """+1: the rate grows with ``column``; −1: it shrinks."""
        return 1 if column == self.numerator else -1

    def solve(self, column: str, target: np.ndarray, cols: Columns) -> np.ndarray:
        """The numerator that gives the rate ``target`` (the denominator stays as it is)."""
        if column != self.numerator:
            return np.full_like(np.asarray(target, dtype=float), np.nan)
        return np.asarray(target, dtype=float) * np.asarray(cols[self.denominator], dtype=float)


@dataclass(frozen=True)
class Blend:
    """Blended unit figure: (own value + mean of the sub-units' values) / 2.

    Hậu Giang 2023: "Điểm DVCTT của huyện: số liệu thực tế tại huyện + số liệu
    các xã (số bình quân các xã) / 2". ``subunit_mean`` is a column the
    secretariat may type, or :func:`thidua_xl.scoring.score_plan` fills from
    the sub-unit bloc.
    """

    id: str
    label: str
    own: str
    subunit_mean: str
    subunit_bloc: str
    subunit_figure: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.own, self.subunit_mean)

    def value(self, cols: Columns) -> np.ndarray:
        return (np.asarray(cols[self.own], dtype=float) + np.asarray(cols[self.subunit_mean], dtype=float)) / 2

    def sign(self, column: str) -> int:
        return 1

    def solve(self, column: str, target: np.ndarray, cols: Columns) -> np.ndarray:
        """The unit's own value that gives the blend ``target`` (the sub-units' mean stays as it is)."""
        other = self.subunit_mean if column == self.own else self.own
        return 2 * np.asarray(target, dtype=float) - np.asarray(cols[other], dtype=float)


class Measure(StrEnum):
    """A figure computed from a dossier-level portal export (:mod:`thidua_xl.ingest`).

    Counts are per unit over the period; rates are fractions of the counts
    named in the label. Which plan column each feeds is declared next to the
    plan's figures (``Bloc.from_dossiers``).
    """

    HO_SO_TIEP_NHAN = "ho_so_tiep_nhan"
    HO_SO_TRUC_TUYEN = "ho_so_truc_tuyen"
    # Hậu Giang 2023: "hồ sơ phát sinh của các DVCTT đã công bố" — only the catalogue's procedures (--danh-muc);
    # without a catalogue every dossier (the rate is then a lower bound).
    HO_SO_DVCTT_CONG_BO = "ho_so_dvctt_cong_bo"
    HO_SO_TRUC_TUYEN_DVCTT_CONG_BO = "ho_so_truc_tuyen_dvctt_cong_bo"
    TY_LE_TRUC_TUYEN_DVCTT_CONG_BO = "ty_le_truc_tuyen_dvctt_cong_bo"
    TAI_KHOAN_NOP = "tai_khoan_nop"
    TRE_HAN_TRUC_TUYEN_THANG_CAO_NHAT = "tre_han_truc_tuyen_thang_cao_nhat"
    TY_LE_TRUC_TUYEN = "ty_le_truc_tuyen"
    TY_LE_DUNG_HAN = "ty_le_dung_han"
    TY_LE_GIAI_QUYET_TRUC_TUYEN = "ty_le_giai_quyet_truc_tuyen"
    TY_LE_THANH_TOAN = "ty_le_thanh_toan"
    TY_LE_SO_HOA = "ty_le_so_hoa"
    TY_LE_KET_QUA_DIEN_TU = "ty_le_ket_qua_dien_tu"
    TY_LE_BUU_CHINH = "ty_le_buu_chinh"
    TY_LE_HAI_LONG = "ty_le_hai_long"
    TY_LE_HAI_LONG_TTHC = "ty_le_hai_long_tthc"  # 766 formula 5.4: (hồ sơ − không hài lòng − phản ánh − trễ) / hồ sơ


@dataclass(frozen=True)
class FromDossiers:
    """A plan column filled from the dossier export, with how the plan's words were read.

    ``of_subunits`` names a lower bloc: the column is then the mean of that measure over the unit's
    sub-units (Hậu Giang's "bình quân các xã"), not the unit's own dossiers.
    """

    figure: str
    measure: Measure
    note: str = ""
    of_subunits: str = ""


@dataclass(frozen=True)
class Criterion:
    """One line of the plan's table: label, điểm chuẩn, rule and clause."""

    id: str
    label: str
    max_points: float
    rule: Rule
    clause: str
    note: str = ""  # how an ambiguous line was read (DESIGN.md §6)

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.rule.inputs


@dataclass(frozen=True)
class MinTotal:
    """Total-score gate: below ``minimum`` the unit is not ranked for awards."""

    minimum: float
    reason: str
    clause: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return ()

    def fails(self, cols: Columns, total: np.ndarray) -> np.ndarray:
        return np.round(total, 6) < self.minimum


@dataclass(frozen=True)
class Below:
    """Exclusion floor: figure < threshold → not considered (e.g. rate < 70 %)."""

    figure: str
    threshold: float
    reason: str
    clause: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.figure,)

    def fails(self, cols: Columns, total: np.ndarray) -> np.ndarray:
        return np.round(np.asarray(cols[self.figure], dtype=float), 9) < self.threshold

    def better(self, column: str) -> int:
        return 1

    def needed(self, column: str) -> float:
        """The least value that passes."""
        return self.threshold


@dataclass(frozen=True)
class AtLeast:
    """Disqualification: figure ≥ threshold → not considered (e.g. ≥ 2 late dossiers)."""

    figure: str
    threshold: float
    reason: str
    clause: str

    @property
    def inputs(self) -> tuple[str, ...]:
        return (self.figure,)

    def fails(self, cols: Columns, total: np.ndarray) -> np.ndarray:
        return np.round(np.asarray(cols[self.figure], dtype=float), 9) >= self.threshold

    def better(self, column: str) -> int:
        return -1

    def needed(self, column: str) -> float:
        """Just under the threshold: the greatest value that passes, once rounded down to the figure's grid."""
        return self.threshold - 1e-7


Condition = MinTotal | Below | AtLeast


@dataclass(frozen=True)
class TieBreak:
    """Decides between equal totals; ``higher_is_better`` says which way."""

    figure: str
    higher_is_better: bool
    label: str
    clause: str


@dataclass(frozen=True)
class Bands:
    """Classification bands, highest first: ((90, "Xuất sắc"), (70, "Tốt"), …)."""

    bands: tuple[tuple[float, str], ...]
    clause: str = ""

    def classify(self, total: float) -> str:
        for minimum, name in self.bands:
            if round(total, 9) >= minimum:
                return name
        return self.bands[-1][1]


@dataclass(frozen=True)
class Tier:
    """An award tier: how many, from what score, what it brings."""

    name: str
    count: int
    min_score: float | None = None
    prize: int = 0                 # đồng
    bonus_points: float = 0.0      # điểm cộng thi đua (KT-XH)
    individuals: int = 0           # cá nhân đề nghị khen kèm theo
    level: str = ""                # e.g. "Bằng khen của Chủ tịch UBND tỉnh"
    # A cut-off scheme's tier decided on figures up to its own date (Ninh Phước: cấp tỉnh 30/11, cấp huyện
    # 15/12/2023); None: the scheme's ``cutoff``. Not in repr (Rubric.period_terms covers it).
    cutoff: date | None = field(default=None, repr=False)


@dataclass(frozen=True)
class AwardScheme:
    """Tiers plus constraints for one or more blocs (pooled when several)."""

    id: str
    label: str
    blocs: tuple[str, ...]
    tiers: tuple[Tier, ...]
    clause: str
    per_group_cap: int | None = None
    max_collectives: int | None = None
    individuals_total: int | None = None
    other_units_individuals: int = 0
    individual_quotas: tuple[tuple[str, int], ...] = ()
    period: Cadence = Cadence.YEAR_END   # when it runs; "tháng" typed in a module reads as Cadence.MONTHLY
    note: str = ""
    # On which figures a monthly/quarterly scheme decides (the period's own or year-to-date); a cut-off
    # scheme's default date. Not in repr (Rubric.period_terms covers them).
    basis: Basis = field(default=Basis.OWN, repr=False)
    cutoff: date | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "period", Cadence(self.period))
        except ValueError:
            kinds = ", ".join(f"'{c}'" for c in Cadence)
            raise RubricError(f"khen thưởng '{self.id}': kỳ '{self.period}' không có (dùng {kinds})") from None

    @property
    def slots(self) -> int:
        total = sum(t.count for t in self.tiers)
        return min(total, self.max_collectives) if self.max_collectives is not None else total

    def cutoffs(self) -> tuple[date, ...]:
        """A cut-off scheme's dates, earliest first (one per group of tiers decided together)."""
        return tuple(sorted({t.cutoff or self.cutoff for t in self.tiers} - {None}))  # type: ignore[type-var]


@dataclass(frozen=True)
class PeriodReview:
    """A ranking published each period without prizes (Phụng Hiệp's quarterly review, 766's monthly
    classification): which blocs, how often and on which figures."""

    id: str
    label: str
    blocs: tuple[str, ...]
    period: Cadence
    clause: str
    basis: Basis = Basis.OWN
    note: str = ""


@dataclass(frozen=True)
class Bloc:
    """A competition group (khối thi đua): its figures, criteria, gates and ranking."""

    id: str
    label: str
    figures: tuple[Figure, ...]
    criteria: tuple[Criterion, ...]
    derived: tuple[Ratio | Blend, ...] = ()
    eligibility: tuple[Condition, ...] = ()
    tiebreaks: tuple[TieBreak, ...] = ()
    bands: Bands | None = None
    group: Figure | None = None         # e.g. the huyện a xã belongs to (caps, quotas)
    unit_label: str = "Đơn vị"
    max_total: float | None = None      # the plan's "thang điểm" (e.g. 100)
    units: tuple[str, ...] = ()         # when the plan names its units: no other unit is scored
    # Columns the portal export fills (thidua-xl ingest). Not in repr: it does not change a score, so it
    # leaves the version stamped on workbooks unchanged.
    from_dossiers: tuple[FromDossiers, ...] = field(default=(), repr=False)

    @property
    def figure_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.figures)

    @property
    def known_columns(self) -> tuple[str, ...]:
        return self.figure_ids + tuple(d.id for d in self.derived)

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    def figure(self, figure_id: str) -> Figure:
        for f in self.figures:
            if f.id == figure_id:
                return f
        raise KeyError(figure_id)

    def label_of(self, column: str) -> str:
        """Vietnamese header of a figure, derived figure or criterion id."""
        for item in (*self.figures, *self.derived, *self.criteria):
            if item.id == column:
                return item.label
        if self.group is not None and column == self.group.id:
            return self.group.label
        return column

    def standard_total(self) -> float:
        return round(sum(c.max_points for c in self.criteria), 6)

    def _validate(self) -> None:
        ids = [f.id for f in self.figures] + [d.id for d in self.derived]
        if self.group is not None:
            ids.append(self.group.id)
        _no_duplicates(ids, f"khối '{self.label}': mã cột")
        _no_duplicates([c.id for c in self.criteria], f"khối '{self.label}': mã tiêu chí")
        clash = set(ids) & set(self.criterion_ids)
        if clash:
            raise RubricError(f"khối '{self.label}': mã tiêu chí trùng mã cột: {sorted(clash)}")
        _no_duplicates([fold(f.label) for f in self.figures], f"khối '{self.label}': tên cột")
        known = set(self.known_columns)
        for d in self.derived:
            needed = (d.numerator, d.denominator) if isinstance(d, Ratio) else (d.own, d.subunit_mean)
            for col in needed:
                if col not in known:
                    raise RubricError(f"khối '{self.label}': chỉ số '{d.id}' dùng cột không khai báo '{col}'")
        for c in self.criteria:
            if c.max_points < 0:
                raise RubricError(f"khối '{self.label}': tiêu chí '{c.id}' có điểm chuẩn âm ({c.max_points})")
            for col in c.inputs:
                if col not in known:
                    raise RubricError(f"khối '{self.label}': tiêu chí '{c.id}' dùng cột không khai báo '{col}'")
            if isinstance(c.rule, StepBonus) and c.rule.below > c.max_points:
                raise RubricError(f"khối '{self.label}': tiêu chí '{c.id}': điểm dưới mức tối thiểu lớn hơn điểm chuẩn")
        for cond in self.eligibility:
            for col in cond.inputs:
                if col not in known:
                    raise RubricError(f"khối '{self.label}': điều kiện dùng cột không khai báo '{col}'")
        for f in self.figures:
            if f.roll.how is How.RATIO and not {f.roll.numerator, f.roll.denominator} <= set(self.figure_ids):
                raise RubricError(f"khối '{self.label}': cột '{f.id}' cộng dồn theo tỷ lệ của cột không khai báo "
                                  f"'{f.roll.numerator}' / '{f.roll.denominator}'")
        for fd in self.from_dossiers:
            if fd.figure not in self.figure_ids:
                raise RubricError(f"khối '{self.label}': cột lấy từ hồ sơ không khai báo '{fd.figure}'")
        _no_duplicates([fd.figure for fd in self.from_dossiers], f"khối '{self.label}': cột lấy từ hồ sơ")
        for tb in self.tiebreaks:
            if tb.figure not in known:
                raise RubricError(f"khối '{self.label}': tiêu chí phụ dùng cột không khai báo '{tb.figure}'")
        if self.max_total is not None and abs(self.standard_total() - self.max_total) > 1e-6:
            raise RubricError(
                f"khối '{self.label}': tổng điểm chuẩn {self.standard_total()} khác thang điểm {self.max_total}")


@dataclass(frozen=True)
class Rubric:
    """A whole plan: its blocs and award schemes, with where it comes from."""

    id: str
    title: str
    issuer: str
    year: int
    source: str
    blocs: tuple[Bloc, ...]
    awards: tuple[AwardScheme, ...] = ()
    notes: tuple[str, ...] = ()
    editable_weights: bool = False
    weights_note: str = ""      # the weights sheet's first line: where the default điểm chuẩn come from
    # Shown next to every score while the weights are this project's defaults (Ninh Phước: "tạm tính theo
    # trọng số mặc định"); cleared by :meth:`with_weights` once the secretariat enters its own.
    provisional: str = ""
    # The numbers that are readings or assumptions, not the plan's or a cited source's (thidua-xl plans).
    assumptions: tuple[str, ...] = ()
    # Rankings published each period without prizes (not in the fingerprint: they change no score).
    reviews: tuple[PeriodReview, ...] = ()

    def __post_init__(self) -> None:
        _no_duplicates([b.id for b in self.blocs], f"kế hoạch '{self.id}': mã khối")
        for bloc in self.blocs:
            bloc._validate()
        bloc_ids = {b.id for b in self.blocs}
        for bloc in self.blocs:
            for fd in bloc.from_dossiers:
                if fd.of_subunits and (fd.of_subunits not in bloc_ids or self.bloc(fd.of_subunits).group is None):
                    raise RubricError(f"khối '{bloc.label}': cột '{fd.figure}' lấy bình quân khối "
                                      f"'{fd.of_subunits}' không có hoặc không có cột nhóm")
        for scheme in self.awards:
            for b in scheme.blocs:
                if b not in bloc_ids:
                    raise RubricError(f"khen thưởng '{scheme.id}' nói đến khối không có '{b}'")
            for tier in scheme.tiers:
                if tier.count < 0 or tier.prize < 0 or tier.individuals < 0:
                    raise RubricError(f"khen thưởng '{scheme.id}': hạng '{tier.name}' có số âm")
            if scheme.per_group_cap is not None and any(self.bloc(b).group is None for b in scheme.blocs):
                raise RubricError(f"khen thưởng '{scheme.id}' giới hạn theo nhóm nhưng khối không có cột nhóm")
            if scheme.individual_quotas and scheme.individuals_total is not None:
                total = sum(n for _, n in scheme.individual_quotas)
                if total != scheme.individuals_total:
                    raise RubricError(
                        f"khen thưởng '{scheme.id}': tổng chỉ tiêu cá nhân {total} ≠ {scheme.individuals_total}")
            if scheme.period is Cadence.CUTOFF and not scheme.cutoffs():
                raise RubricError(f"khen thưởng '{scheme.id}' xét theo mốc ngày nhưng không có ngày chốt")
            for bloc_id in scheme.blocs:
                for d in self.bloc(bloc_id).derived:
                    if isinstance(d, Blend) and d.subunit_bloc not in bloc_ids:
                        raise RubricError(f"chỉ số '{d.id}' nói đến khối không có '{d.subunit_bloc}'")

    def bloc(self, bloc_id: str) -> Bloc:
        """Find a bloc by id or by its Vietnamese label (case/space/NFC-insensitive)."""
        key = fold(bloc_id)
        for b in self.blocs:
            if fold(b.id) == key or fold(b.label) == key:
                return b
        names = ", ".join(f"{b.id} ({b.label})" for b in self.blocs)
        raise KeyError(f"Kế hoạch '{self.id}' không có khối '{bloc_id}'. Các khối: {names}")

    def schemes_for(self, bloc_id: str) -> tuple[AwardScheme, ...]:
        return tuple(s for s in self.awards if bloc_id in s.blocs)

    def fingerprint(self) -> str:
        """Short hash of everything that affects scores and awards (stamped on workbooks)."""
        terms = self.period_terms()
        text = repr((self.blocs, self.awards)) + (repr(terms) if terms else "")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def period_terms(self) -> tuple[tuple[str, ...], ...]:
        """The period declarations that differ from the defaults (explicit roll-ups, a scheme's basis and
        cut-offs): part of the fingerprint, while a rubric without them keeps its earlier version."""
        terms: list[tuple[str, ...]] = []
        for bloc in self.blocs:
            terms += [(bloc.id, f.id, repr(f.rollup)) for f in bloc.figures if f.rollup is not None]
        for s in self.awards:
            if s.basis is not Basis.OWN or s.cutoff is not None:
                terms.append((s.id, str(s.basis), str(s.cutoff)))
            terms += [(s.id, t.name, str(t.cutoff)) for t in s.tiers if t.cutoff is not None]
        return tuple(terms)

    @property
    def version(self) -> str:
        return f"{self.id}@{self.fingerprint()}"

    def with_weights(self, bloc_id: str, weights: Mapping[str, float],
                     thresholds: Mapping[str, float] | None = None,
                     band_minimums: Mapping[str, float] | None = None) -> Rubric:
        """A copy with new điểm chuẩn per criterion and, for rate rules, new full-marks thresholds, and new
        classification cut-offs (the workbook's "Trọng số" sheet: Phụng Hiệp, the 766 index, Ninh Phước)."""
        if not self.editable_weights:
            raise RubricError(f"Kế hoạch '{self.id}' không cho sửa trọng số")
        bloc = self.bloc(bloc_id)
        if band_minimums and bloc.bands is not None:
            bloc = replace(bloc, bands=rebanded(bloc.bands, band_minimums))
        thresholds = thresholds or {}
        unknown = (set(weights) | set(thresholds)) - set(bloc.criterion_ids)
        if unknown:
            raise RubricError(f"khối '{bloc.label}': không có tiêu chí {sorted(unknown)}")
        criteria = tuple(_reweighted(c, weights.get(c.id), thresholds.get(c.id)) for c in bloc.criteria)
        total = round(sum(c.max_points for c in criteria), 6)
        new_bloc = replace(bloc, criteria=criteria, max_total=bloc.max_total if total == bloc.max_total else None)
        changed = criteria != bloc.criteria or new_bloc.bands != self.bloc(bloc_id).bands
        return replace(self, blocs=tuple(new_bloc if b.id == bloc.id else b for b in self.blocs),
                       provisional="" if changed else self.provisional)


def rebanded(bands: Bands, minimums: Mapping[str, float]) -> Bands:
    """``bands`` with new lower bounds for some of its names (the 766 cut-offs 70/50/30 are assumptions the
    secretariat may change on the weights sheet); names and their order stay the plan's."""
    given = {fold(name): value for name, value in minimums.items()}
    unknown = set(given) - {fold(name) for _, name in bands.bands}
    if unknown:
        raise RubricError(f"thang xếp loại không có loại {sorted(unknown)}")
    new = tuple((float(given.get(fold(name), low)), name) for low, name in bands.bands)
    if any(a[0] < b[0] for a, b in zip(new, new[1:], strict=False)):
        raise RubricError("mức điểm xếp loại phải giảm dần: " + ", ".join(f"{n} từ {m:g}" for m, n in new))
    if all(a[0] == float(b[0]) for a, b in zip(new, bands.bands, strict=True)):
        return bands  # unchanged: the bands as declared (same version stamp)
    return replace(bands, bands=new)


def _reweighted(c: Criterion, weight: float | None, threshold: float | None) -> Criterion:
    """``c`` with a new weight / threshold; an unchanged value keeps the criterion as declared (6 stays 6, not
    6.0), so the version stamp only moves when a number does."""
    if weight is not None and float(weight) != c.max_points:
        c = replace(c, max_points=float(weight))
    if threshold is not None and hasattr(c.rule, "full_at") and float(threshold) != c.rule.full_at:
        if not 0 < threshold <= 1:
            raise RubricError(f"tiêu chí '{c.label}': ngưỡng điểm tối đa phải trong (0 %; 100 %] (giá trị "
                              f"{threshold})")
        c = replace(c, rule=replace(c.rule, full_at=float(threshold)))
    return c


def _no_duplicates(items: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise RubricError(f"{what} bị trùng: '{item}'")
        seen.add(item)


def rate_item(id: str, label: str, points: float, clause: str, *, full_at: float = 1.0,
              relative_to_target: bool = True, figure_label: str | None = None, note: str = "",
              source: str = "") -> tuple[Figure, Criterion]:
    """A criterion scored from one typed rate: the input figure and the criterion together.

    Used by plans whose criteria are "tỷ lệ … đạt X %" lines: full points from
    ``full_at``, proportionally below it. The figure id is the criterion id
    prefixed with ``ty_le_``.
    """
    figure = Figure(f"ty_le_{id}", figure_label or label, Kind.RATE, source=source)
    rule = RateScore(figure.id, full_at=full_at, relative_to_target=relative_to_target)
    return figure, Criterion(id, label, points, rule, clause=clause, note=note)
