"""Rules on reviewers' comments (comments/*.yaml): where they point, and whether each is answered."""

from __future__ import annotations

from collections.abc import Iterator

from dhcompiler.checks.context import CheckContext
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.comments import Draft, Review, comment_keys, find_quote, passage_changed, squeeze
from dhcompiler.findings import Severity
from dhcompiler.model import Comment, CommentStatus

# Rules whose findings become errors under `dhc check --final` (the draft is about to be sent).
FINAL_ERRORS = {"DH804"}
ANSWERED = (CommentStatus.ACCEPTED, CommentStatus.PARTLY, CommentStatus.EXPLAINED)
TAKEN = (CommentStatus.ACCEPTED, CommentStatus.PARTLY)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _where(review: Review, comment: Comment) -> str:
    place = review.place(comment)
    return f"ý kiến “{comment.key}” ({place.name})" if place else f"ý kiến “{comment.key}”"


@rule("DH801", "comment-target", "comments", Severity.ERROR)
def comment_target(ctx: CheckContext) -> Iterator[Hit]:
    """Ý kiến góp ý phải chỉ vào một mục, chú thích hay chỉ tiêu có trong dự thảo (``on``).

    Khóa của mục không đổi khi mục được chuyển chỗ hay đánh số lại; nếu mục bị xóa hay
    gộp, hãy chỉ ý kiến vào mục mới, hoặc ``on: document`` cho ý kiến chung.

    Sai:  ``on: linh-vuc-kinh-te-cu`` (không có mục nào mang khóa này)
    Đúng: ``on: linh-vuc-kinh-te``
    """
    if not ctx.report.comments:
        return
    keys = comment_keys(ctx.report)
    for comment in ctx.report.comments:
        if comment.on not in keys:
            yield Hit(
                comment.loc("on"),
                f"Ý kiến “{comment.key}” góp ý vào “{comment.on}”, nhưng dự thảo không có mục, chú thích hay "
                "chỉ tiêu nào mang khóa này; hãy sửa “on” (hoặc ghi “on: document” cho ý kiến chung).",
            )


def _quoted(ctx: CheckContext) -> Iterator[tuple[Comment, Draft, int]]:
    """Each quoting comment with the draft it was made on and how often its quote occurs there."""
    review = ctx.comments
    for comment in ctx.report.comments:
        draft = review.round_draft(comment)
        if comment.quote and draft is not None:
            place = draft.places.get(comment.on)
            count = find_quote(place.text, comment.quote, comment.prefix, comment.suffix) if place else 0
            yield comment, draft, count


@rule("DH802", "comment-quote-not-found", "comments")
def comment_quote_not_found(ctx: CheckContext) -> Iterator[Hit]:
    """Đoạn trích (``quote``) phải có nguyên văn trong mục được góp ý, ở bản dự thảo được góp ý.

    Bản dự thảo của ý kiến là ``round``, tra trong ``rounds:`` của document.yaml (một phiên bản
    git hoặc một thư mục dữ liệu); so sánh bỏ qua khoảng trắng, chữ ở dạng NFC.

    Sai:  ``quote: tăng trưởng bình quân 17%`` khi dự thảo viết “tăng bình quân 17,02%”
    Đúng: ``quote: tăng bình quân 17,02%``
    """
    review = ctx.comments
    for comment, _draft, count in _quoted(ctx):
        if count == 0:
            yield Hit(
                comment.loc("quote"),
                f"Không tìm thấy đoạn trích của {_where(review, comment)} trong mục đó ở “{comment.round}”; "
                "hãy chép nguyên văn từ bản dự thảo được góp ý.",
            )


@rule("DH803", "comment-quote-ambiguous", "comments", Severity.ERROR)
def comment_quote_ambiguous(ctx: CheckContext) -> Iterator[Hit]:
    """Đoạn trích phải chỉ đúng một chỗ trong mục được góp ý.

    Khi đoạn trích lặp lại, ghi thêm vài chữ đứng trước (``prefix``) hoặc sau (``suffix``) nó.

    Sai:  ``quote: chuyển đổi số`` (mục viết cụm này ba lần)
    Đúng: ``quote: chuyển đổi số`` với ``suffix: " trong các cơ quan"``
    """
    review = ctx.comments
    for comment, _draft, count in _quoted(ctx):
        if count > 1:
            yield Hit(
                comment.loc("quote"),
                f"Đoạn trích của {_where(review, comment)} xuất hiện {count} lần trong mục đó ở “{comment.round}”; "
                "hãy thêm prefix hoặc suffix (vài chữ đứng trước hoặc sau) để chỉ đúng một chỗ.",
            )


@rule("DH804", "comment-unanswered", "comments")
def comment_unanswered(ctx: CheckContext) -> Iterator[Hit]:
    """Mọi ý kiến phải được trả lời: tiếp thu, tiếp thu một phần hoặc giải trình, có nội dung trả lời.

    Là lỗi khi chạy ``dhc check --final`` (trước khi gửi dự thảo), cảnh báo trong lúc làm.

    Sai:  ``status: open``, hoặc ``status: accepted`` mà không có ``response``
    Đúng: ``status: accepted`` với ``response: Đã sửa tại mục 1.2.``
    """
    review = ctx.comments if ctx.report.comments else None
    for comment in ctx.report.comments:
        where = _where(review, comment) if review else f"ý kiến “{comment.key}”"
        if comment.status not in ANSWERED:
            yield Hit(comment.loc("status"), f"Chưa xử lý {where}: hãy tiếp thu hoặc giải trình.")
        elif not comment.response.strip():
            at = comment.loc("response") if comment.written("response") else comment.loc("status")
            yield Hit(at, f"Chưa ghi nội dung tiếp thu, giải trình (response) cho {where}.")


@rule("DH805", "comment-accepted-unchanged", "comments")
def comment_accepted_unchanged(ctx: CheckContext) -> Iterator[Hit]:
    """Ý kiến đã “tiếp thu” thì đoạn được góp ý phải khác đi so với bản dự thảo được góp ý.

    So đoạn văn chứa đoạn trích (không có đoạn trích: cả mục) ở bản được góp ý và ở bản
    hiện hành; số thứ tự thay đổi không tính là sửa.

    Sai:  ``status: accepted`` mà đoạn văn được trích vẫn y nguyên trong dự thảo mới
    Đúng: ``status: accepted`` và đoạn văn đã được sửa; hoặc ``status: explained`` nếu giữ nguyên
    """
    review = ctx.comments if ctx.report.comments else None
    if review is None or review.current is None:
        return
    for comment in ctx.report.comments:
        draft = review.round_draft(comment)
        if comment.status not in TAKEN or draft is None or comment.on not in draft.places:
            continue
        if not passage_changed(review, comment):
            what = "đoạn văn được trích" if comment.quote else "nội dung mục"
            yield Hit(
                comment.loc("status"),
                f"{_upper_first(_where(review, comment))} ghi là tiếp thu, nhưng {what} vẫn y nguyên như ở "
                f"“{comment.round}”; hãy sửa dự thảo, hoặc đổi sang giải trình (explained).",
            )


@rule("DH806", "comment-proposal-absent", "comments", Severity.INFO)
def comment_proposal_absent(ctx: CheckContext) -> Iterator[Hit]:
    """Ý kiến đề nghị cách viết (``proposal``) đã tiếp thu thì cách viết đó thường có trong dự thảo.

    Chỉ là ghi chú: có khi tiếp thu ý mà viết khác đi; khi đó hãy ghi rõ trong ``response``.

    Sai:  ``proposal: “tăng 17,02%/năm”``, ``status: accepted``, mà dự thảo không có cụm này
    Đúng: dự thảo mới viết “tăng 17,02%/năm”
    """
    review = ctx.comments if ctx.report.comments else None
    if review is None or review.current is None:
        return
    for comment in ctx.report.comments:
        if comment.status is not CommentStatus.ACCEPTED or not comment.proposal:
            continue
        place = review.place(comment) or review.current.places["document"]
        if not find_quote(place.text, comment.proposal):
            yield Hit(
                comment.loc("proposal"),
                f"{_upper_first(_where(review, comment))} đã tiếp thu, nhưng cách viết đề nghị không có trong "
                "dự thảo hiện hành; nếu tiếp thu ý mà viết khác, hãy nói rõ trong response.",
            )


@rule("DH807", "comment-duplicate", "comments")
def comment_duplicate(ctx: CheckContext) -> Iterator[Hit]:
    """Một nơi góp ý không ghi cùng một ý kiến hai lần.

    Sai:  hai ý kiến của “Ban Tuyên giáo Thành ủy” cùng nội dung “Đề nghị bổ sung số liệu năm 2024.”
    Đúng: một ý kiến (nếu góp ý vào hai chỗ, ghi rõ chỗ trong nội dung)
    """
    seen: dict[tuple[str, str], Comment] = {}
    for comment in ctx.report.comments:
        first = seen.setdefault((squeeze(comment.source_name).lower(), squeeze(comment.text).lower()), comment)
        if first is not comment:
            at, here = first.loc("text"), comment.loc("text")
            where = f"dòng {at.line}" if at.path == here.path else f"{at.path}:{at.line}"
            yield Hit(
                here,
                f"Ý kiến “{comment.key}” trùng nội dung với ý kiến “{first.key}” ({where}) của cùng "
                f"{comment.source_name}; hãy bỏ bớt một ý kiến.",
            )


@rule("DH808", "comment-round-unknown", "comments")
def comment_round_unknown(ctx: CheckContext) -> Iterator[Hit]:
    """Bản dự thảo được góp ý (``round``) phải tra được, để đối chiếu đoạn trích và việc tiếp thu.

    Ghi trong document.yaml: ``rounds: {"Dự thảo biên tập lần 3": v3}`` (phiên bản git) hoặc
    một thư mục dữ liệu. Ý kiến về chính bản hiện hành (``round`` trùng ``draft_label``) thì
    không cần ghi.

    Sai:  ``round: Dự thảo lần 2`` mà ``rounds:`` không có “Dự thảo lần 2”
    Đúng: ``rounds: {"Dự thảo lần 2": v2}``
    """
    review = ctx.comments if ctx.report.comments else None
    if review is None:
        return
    reported: set[str] = set()
    for comment in ctx.report.comments:
        label = comment.round or ""
        if label in review.unresolved and label not in reported:
            reported.add(label)
            yield Hit(
                comment.loc("round"),
                f"Không tra được bản dự thảo “{label}” ({review.unresolved[label]}); chưa đối chiếu được "
                "đoạn trích và việc tiếp thu của các ý kiến về bản này.",
            )
