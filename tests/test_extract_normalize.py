"""Normalisation keeps offsets true: any span of the normalised text maps back to the original
slice it came from."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from casegraph.ingest.normalize import normalise, normalise_char

_ALPHABET = st.sampled_from(list("被告人張某某（）〔〕【】１２３，。：⑴⑵ \u3000\n\tabcXYZ0123456789銀行…"))


def test_fullwidth_traditional_and_brackets_fold() -> None:
    folded = normalise("（２０２１）渝０１刑終８８號〔2023〕銀行").text
    assert folded == "(2021)渝01刑终88号[2023]银行"


def test_mostly_length_preserving() -> None:
    assert normalise("張某，１９８５年").identity


@given(st.text(_ALPHABET, max_size=60), st.data())
def test_spans_map_back_to_their_source(text: str, data: st.DataObject) -> None:
    normalised = normalise(text)
    start = data.draw(st.integers(0, len(normalised.text)))
    end = data.draw(st.integers(start, len(normalised.text)))
    original_start, original_end = normalised.to_original(start, end)
    assert 0 <= original_start <= original_end <= len(text)
    source = text[original_start:original_end]
    rebuilt = "".join(normalise_char(c) for c in source)
    # the original slice normalises to a text that covers the normalised span
    assert normalised.text[start:end] in rebuilt
