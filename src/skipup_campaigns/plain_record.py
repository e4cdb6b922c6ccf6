"""Dataclass-like records that cost next to nothing to define.

Making a dataclass compiles its methods (`exec` of `__init__`, `__eq__`, `__repr__`, ...):
~0.25 ms each, ~0.6 ms frozen, and about thirty were made on every start's path. A record
here is declared the same way (annotated fields, defaults, `field(...)`) and
gets the same `__init__`, equality, hash (frozen), `repr` and immutability (frozen) from
generic methods: defining one is a few microseconds, making one a microsecond or two more
than a dataclass's. Type checkers read them as dataclasses (`dataclass_transform`), so their
calls are checked field by field; `replace` is a method (`dataclasses.replace` needs a real
dataclass).

Not for records made by the hundred thousand (a row): its generic `__init__` is slower."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, dataclass_transform, overload

T = TypeVar("T")


_MISSING: Any = object()


class _Field:
    """What `field()` leaves in a class body, read when the class is made."""

    __slots__ = ("default", "make", "shown", "compared")

    def __init__(
        self, default: Any, make: Callable[[], Any] | None, shown: bool, compared: bool
    ) -> None:
        self.default, self.make, self.shown, self.compared = default, make, shown, compared


@overload
def field(*, default: T, repr: bool = True, compare: bool = True) -> T: ...
@overload
def field(*, default_factory: Callable[[], T], repr: bool = True, compare: bool = True) -> T: ...
def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """`dataclasses.field`: a default made anew for each record (`default_factory`), a field
    left out of `repr` (a secret) or of equality and hash."""
    return _Field(default, default_factory, repr, compare)


def _class_fields(cls: type) -> dict[str, Any]:
    """The fields of `cls` and its record bases in definition order, each with what its class
    body gave it (`_MISSING`: nothing). Annotations are strings here (postponed): a ClassVar
    is told by name."""
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for name, annotation in klass.__dict__.get("__annotations__", {}).items():
            if "ClassVar" in str(annotation):
                continue
            found[name] = klass.__dict__.get(name, _MISSING)
    return found


class _Base:
    __slots__ = ()
    field_names: ClassVar[tuple[str, ...]] = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _shown: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}
    _factories: ClassVar[dict[str, Callable[[], Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        given = _class_fields(cls)
        cls.field_names = tuple(given)
        cls._defaults, cls._factories = {}, {}
        compared, shown = [], []
        for name, value in given.items():
            spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
            if isinstance(value, _Field) and name in cls.__dict__:
                delattr(cls, name)  # the field's default goes back below, never a factory
            if spec.make is not None:
                cls._factories[name] = spec.make
            elif spec.default is not _MISSING:
                cls._defaults[name] = spec.default
                setattr(cls, name, spec.default)
            if spec.compared:
                compared.append(name)
            if spec.shown:
                shown.append(name)
        cls._compared, cls._shown = tuple(compared), tuple(shown)
        cls.__match_args__ = cls.field_names  # type: ignore[attr-defined,misc]  # as a dataclass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.field_names
        if len(args) > len(names):
            raise TypeError(
                f"{type(self).__name__}() takes {len(names)} positional arguments "
                f"but {len(args)} were given"
            )
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name in values or name not in names:
                raise TypeError(f"{type(self).__name__}() got an unexpected or repeated {name!r}")
            values[name] = value
        if len(values) < len(names):
            for name in names:
                if name in values:
                    continue
                if name in self._defaults:
                    values[name] = self._defaults[name]
                elif name in self._factories:
                    values[name] = self._factories[name]()
                else:
                    raise TypeError(f"{type(self).__name__}() missing {name!r}")
        self.__dict__.update({name: values[name] for name in names})

    def _values(self) -> tuple[Any, ...]:
        return tuple(map(self.__dict__.__getitem__, self._compared))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, _Base):
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self._shown)
        return f"{type(self).__qualname__}({shown})"

    def _replace(self, changes: dict[str, Any]) -> Self:
        unknown = set(changes) - set(self.field_names)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)}")
        made = object.__new__(type(self))
        made.__dict__.update(self.__dict__)
        made.__dict__.update(changes)
        return made


if TYPE_CHECKING:
    # Checked field by field as for a dataclass: type checkers read records as dataclasses.
    from dataclasses import replace as replace
else:

    def replace(record: _Base, /, **changes: Any) -> _Base:
        """A copy of `record` with `changes` (`dataclasses.replace`, which needs a real
        dataclass): unknown names are refused."""
        return record._replace(changes)


@dataclass_transform(field_specifiers=(field,))
class Record(_Base):
    """A mutable record (`@dataclass`): equal by type and fields, unhashable (`__eq__`
    without `__hash__`)."""


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class FrozenRecord(_Base):
    """A frozen record (`@dataclass(frozen=True)`): equal by type and fields, hashable, its
    fields not to be set after it is made."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __hash__(self) -> int:
        return hash(self._values())
