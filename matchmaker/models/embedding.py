"""The sentence-encoder vectors of a response's presentation, computed once per text and stored."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base


class ResponseEmbedding(Base):
    """Encoder vectors of a response's current description (float16 bytes), keyed by the text's SHA-256.

    ``document`` is the whole text's vector, ``sentences`` one vector per sentence (for the quoted
    reasons); ``model`` names the vector space, so a change of encoder re-encodes instead of mixing.
    """

    __tablename__ = "response_embedding"

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(String(40))
    text_sha256: Mapped[str] = mapped_column(String(64))
    dimension: Mapped[int] = mapped_column(Integer)
    sentence_count: Mapped[int] = mapped_column(Integer)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    sentences: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped["Response"] = relationship()  # noqa: F821
