//! (placeholder: written by the clients work)
