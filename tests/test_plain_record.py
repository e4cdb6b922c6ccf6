"""plain_record: records that behave as the dataclasses they replaced (equality, hash,
repr, immutability, defaults, `replace`), made without compiling methods at start."""

from __future__ import annotations

import copy
import pickle

import pytest

from skipup_campaigns.plain_record import FrozenRecord, Record, field, replace


class Key(FrozenRecord):
    name: str
    secret: str = field(default="", repr=False)
    tags: list[str] = field(default_factory=list, compare=False)
    count: int = 0


class Counter(Record):
    label: str
    seen: int = 0


def test_made_as_a_dataclass_is_made() -> None:
    key = Key("a", count=2)
    assert (key.name, key.secret, key.tags, key.count) == ("a", "", [], 2)
    assert Key("a").tags is not Key("a").tags  # a factory's default is made anew each time
    with pytest.raises(TypeError, match="missing 'name'"):
        Key()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected or repeated 'nme'"):
        Key(nme="a")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="repeated 'name'"):
        Key("a", name="b")  # type: ignore[misc]
    with pytest.raises(TypeError, match="positional"):
        Key("a", "s", [], 1, 2)  # type: ignore[call-arg]


def test_equality_and_hash_read_the_compared_fields_of_the_same_type() -> None:
    assert Key("a", tags=["x"]) == Key("a", tags=["y"])  # tags: compare=False
    assert Key("a", count=1) != Key("a", count=2)
    assert hash(Key("a", tags=["x"])) == hash(Key("a"))
    assert Counter("a") != Key("a")
    with pytest.raises(TypeError):
        hash(Counter("a"))  # mutable: unhashable, as a dataclass


def test_repr_leaves_out_a_secret() -> None:
    text = repr(Key("a", secret="sk_live_123"))
    assert text == "Key(name='a', tags=[], count=0)" and "sk_live" not in text


def test_a_frozen_record_refuses_changes_and_a_mutable_one_takes_them() -> None:
    key = Key("a")
    with pytest.raises(AttributeError, match="frozen"):
        key.name = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        del key.name  # type: ignore[misc]
    counter = Counter("a")
    counter.seen += 1
    assert counter == Counter("a", seen=1)


def test_replace_copies_with_the_changes_and_refuses_unknown_names() -> None:
    key = Key("a", secret="s", count=1)
    changed = replace(key, count=5)
    assert changed == Key("a", secret="s", count=5) and key.count == 1
    assert type(changed) is Key
    with pytest.raises(TypeError, match="no field"):
        replace(key, cont=5)  # type: ignore[call-arg]


def test_copies_and_pickles_keep_the_fields() -> None:
    key = Key("a", secret="s", tags=["t"], count=3)
    for again in (copy.copy(key), copy.deepcopy(key), pickle.loads(pickle.dumps(key))):
        assert again == key and again.secret == "s" and again.tags == ["t"]


def test_match_reads_fields_in_order() -> None:
    match Key("a", count=4):
        case Key(name, _, _, count):
            assert (name, count) == ("a", 4)
        case _:
            pytest.fail("no match")
