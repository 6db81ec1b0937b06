//! Checks of the properties that optimizers rely on.

pub mod convexity;

pub use convexity::{
    Chord, ConvexityReport, ConvexityTest, Domain, PointSampler, Tolerance, Verdict, ViolationKind,
    Witness,
};
