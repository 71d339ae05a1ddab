//! The generated structures an [`Error`] can carry: the modeled error a service answered with, and
//! the last output a waiter saw.

use super::{Carried, Error};
use crate::value::Structure;

/// The structure inside a carried value.
fn structure(c: &Carried) -> Option<&dyn Structure> {
    c.as_any()
        .downcast_ref::<Box<dyn Structure>>()
        .map(|b| &**b)
}

impl Error {
    /// Attaches the parsed modeled error.
    pub fn with_modeled(mut self, m: Box<dyn Structure>) -> Error {
        self.inner.modeled = Some(Box::new(m));
        self
    }
    /// The modeled error structure, when the error code matched one of the operation's errors.
    pub fn modeled(&self) -> Option<&dyn Structure> {
        self.inner.modeled.as_ref().and_then(structure)
    }
    /// The modeled error, mutably (for parsers that fill it in steps).
    pub fn modeled_mut(&mut self) -> Option<&mut dyn Structure> {
        let c = self.inner.modeled.as_mut()?;
        let b = c.as_any_mut().downcast_mut::<Box<dyn Structure>>()?;
        Some(&mut **b)
    }
    /// The modeled error as a concrete generated type.
    pub fn modeled_as<T: Structure>(&self) -> Option<&T> {
        self.modeled().and_then(|m| m.downcast_ref::<T>())
    }
    /// Attaches the last output a waiter saw.
    pub fn with_last_response(mut self, out: Box<dyn Structure>) -> Error {
        self.inner.last_response = Some(Box::new(out));
        self
    }
    /// A waiter error: the last output it received, when the last answer was not an error.
    pub fn last_response(&self) -> Option<&dyn Structure> {
        self.inner.last_response.as_ref().and_then(structure)
    }
    /// [`last_response`](Self::last_response) as the operation's output type.
    pub fn last_response_as<T: Structure>(&self) -> Option<&T> {
        self.last_response().and_then(|m| m.downcast_ref::<T>())
    }
}
