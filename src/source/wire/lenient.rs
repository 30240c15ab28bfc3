//! The APIs' one rule for every field we read, written once: a value of the
//! expected kind is kept, anything else (missing, `null`, another type, a
//! number that does not fit) is *absent* rather than an error.
//!
//! [`Field`] records which of those it was, so that the callers can still
//! tell "no `players`" from "`players` is not a list". [`FromJson`] says which
//! JSON values a type accepts; every other value is skipped without being
//! built. [`lenient_object!`] declares a struct read from a JSON object the
//! same way: known keys by name (the last of duplicated keys wins, as with
//! `serde_json::Value`), unknown keys skipped.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// One field of a JSON object, read leniently.
#[derive(Debug, Default, Clone, PartialEq)]
pub enum Field<T> {
    /// The key is not there.
    #[default]
    Absent,
    /// The key is there with `null`.
    Null,
    /// The key is there with a value `T` does not accept.
    Other,
    /// The key is there with a value `T` accepts.
    Is(T),
}

impl<T> Field<T> {
    /// The value, if it is one `T` accepts.
    pub fn value(self) -> Option<T> {
        match self {
            Field::Is(value) => Some(value),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Field::Is(value) => Some(value),
            _ => None,
        }
    }

    /// `Is` the value, or `Other`: a value of a kind the type does not take.
    pub(super) fn from_option(value: Option<T>) -> Field<T> {
        value.map_or(Field::Other, Field::Is)
    }
}

impl<T: Copy> Field<T> {
    pub fn get(&self) -> Option<T> {
        self.as_ref().copied()
    }
}

/// The JSON values a type accepts; each method answers `None` for "not
/// mine", and lists and objects are skipped unread unless a type reads them.
pub trait FromJson<'de>: Sized {
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    /// Whole numbers beyond i64 (team logos) only reach types that want them.
    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok().and_then(Self::from_i64)
    }
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    fn from_seq<A: SeqAccess<'de>>(seq: A) -> Result<Option<Self>, A::Error> {
        skip_seq(seq).map(|()| None)
    }
    fn from_map<A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        skip_map(map).map(|()| None)
    }
}

/// A whole number that fits i64: not `1.0`, not `"1"`, not u64 beyond i64
/// (what `Value::as_i64` accepts).
impl FromJson<'_> for i64 {
    fn from_i64(value: i64) -> Option<i64> {
        Some(value)
    }
}

/// `true`/`false` in newer bodies, 1/0 in older ones (`radiant_win`).
impl FromJson<'_> for bool {
    fn from_bool(value: bool) -> Option<bool> {
        Some(value)
    }
    fn from_i64(value: i64) -> Option<bool> {
        match value {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

/// Text (error messages): owned, since it is rare and may hold escapes.
impl FromJson<'_> for String {
    fn from_str(value: &str) -> Option<String> {
        Some(value.to_string())
    }
}

/// A list whose elements are each read leniently.
impl<'de, T: FromJson<'de>> FromJson<'de> for Vec<Field<T>> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(10));
        while let Some(item) = seq.next_element::<Field<T>>()? {
            items.push(item);
        }
        Ok(Some(items))
    }
}

/// A list of which only the first element is kept, as its text; the rest is
/// skipped unread.
#[derive(Debug, Default)]
pub struct FirstOfList<'de>(pub Option<&'de RawValue>);

impl<'de> FromJson<'de> for FirstOfList<'de> {
    fn from_seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Option<Self>, A::Error> {
        let first = seq.next_element::<&'de RawValue>()?;
        skip_seq(seq)?;
        Ok(Some(FirstOfList(first)))
    }
}

impl<'de, T: FromJson<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor(PhantomData))
    }
}

struct FieldVisitor<T>(PhantomData<T>);

impl<'de, T: FromJson<'de>> Visitor<'de> for FieldVisitor<T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Field<T>, E> {
        Ok(Field::from_option(T::from_bool(value)))
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Field<T>, E> {
        Ok(Field::from_option(T::from_i64(value)))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Field<T>, E> {
        Ok(Field::from_option(T::from_u64(value)))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Field<T>, E> {
        Ok(Field::Other)
    }
    fn visit_str<E: de::Error>(self, value: &str) -> Result<Field<T>, E> {
        Ok(Field::from_option(T::from_str(value)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Field<T>, E> {
        Ok(Field::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Field<T>, A::Error> {
        T::from_seq(seq).map(Field::from_option)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Field<T>, A::Error> {
        T::from_map(map).map(Field::from_option)
    }
}

pub fn skip_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

pub fn skip_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Declares a struct read from a JSON object: each field's name is its JSON
/// key and its type says what it accepts ([`Field`] for the lenient rule,
/// or any `Deserialize + Default` type such as `Option<&RawValue>`). A value
/// that is not an object makes the struct's [`Field`] `Other`.
macro_rules! lenient_object {
    (
        $(#[$meta:meta])*
        struct $name:ident<$lt:lifetime> { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(Default)]
        #[allow(non_snake_case)]
        struct $name<$lt> { $($(#[$fmeta])* $field: $ty,)* }

        impl<$lt> $crate::source::wire::lenient::FromJson<$lt> for $name<$lt> {
            fn from_map<A: serde::de::MapAccess<$lt>>(map: A) -> Result<Option<Self>, A::Error> {
                lenient_object!(@read map, Self, $($field),*)
            }
        }
    };
    (
        $(#[$meta:meta])*
        struct $name:ident { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }
    ) => {
        $(#[$meta])*
        #[derive(Default)]
        #[allow(non_snake_case)]
        struct $name { $($(#[$fmeta])* $field: $ty,)* }

        impl<'de> $crate::source::wire::lenient::FromJson<'de> for $name {
            fn from_map<A: serde::de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
                lenient_object!(@read map, Self, $($field),*)
            }
        }
    };
    (@read $map:ident, $self:ty, $($field:ident),*) => {{
        // The keys this struct reads, matched without allocating.
        #[allow(non_camel_case_types)]
        enum Key { $($field,)* Unknown }
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object key")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    $(stringify!($field) => Key::$field,)*
                    _ => Key::Unknown,
                })
            }
        }
        impl<'de> serde::Deserialize<'de> for Key {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
                deserializer.deserialize_identifier(KeyVisitor)
            }
        }
        let mut map = $map;
        let mut object = <$self>::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                $(Key::$field => object.$field = map.next_value()?,)*
                Key::Unknown => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(Some(object))
    }};
}

pub(crate) use lenient_object;
