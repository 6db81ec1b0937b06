//! Learning-rate schedules at their boundaries and update rules' first steps.

use dualopt::prelude::*;

#[test]
fn step_zero_uses_initial_rate() {
    let schedules = [
        LearningRate::Constant(0.3),
        LearningRate::InverseTime {
            initial: 0.3,
            decay: 0.5,
        },
        LearningRate::StepDecay {
            initial: 0.3,
            factor: 0.1,
            every: 1,
        },
        LearningRate::Exponential {
            initial: 0.3,
            rate: 0.5,
        },
        LearningRate::Cosine {
            initial: 0.3,
            minimum: 0.01,
            period: 10,
        },
        LearningRate::InverseSqrt { initial: 0.3 },
        LearningRate::custom(|k| 0.3 / (k + 1) as f64),
    ];
    for schedule in schedules {
        assert_eq!(schedule.at(0).unwrap(), 0.3, "{schedule:?}");
    }
}

#[test]
fn inverse_time_and_sqrt_values() {
    let inverse = LearningRate::InverseTime {
        initial: 1.0,
        decay: 0.5,
    };
    assert_eq!(inverse.at(1).unwrap(), 1.0 / 1.5);
    assert_eq!(inverse.at(2).unwrap(), 0.5);
    let sqrt = LearningRate::InverseSqrt { initial: 1.0 };
    assert_eq!(sqrt.at(3).unwrap(), 0.5);
    assert_eq!(sqrt.at(99).unwrap(), 0.1);
}

#[test]
fn step_decay_drops_at_multiples() {
    let schedule = LearningRate::StepDecay {
        initial: 1.0,
        factor: 0.5,
        every: 3,
    };
    assert_eq!(schedule.at(2).unwrap(), 1.0);
    assert_eq!(schedule.at(3).unwrap(), 0.5);
    assert_eq!(schedule.at(5).unwrap(), 0.5);
    assert_eq!(schedule.at(6).unwrap(), 0.25);
}

#[test]
fn exponential_values() {
    let schedule = LearningRate::Exponential {
        initial: 2.0,
        rate: 0.5,
    };
    assert_eq!(schedule.at(1).unwrap(), 1.0);
    assert_eq!(schedule.at(3).unwrap(), 0.25);
}

#[test]
fn cosine_ends_at_minimum() {
    let schedule = LearningRate::Cosine {
        initial: 1.0,
        minimum: 0.2,
        period: 4,
    };
    // Halfway, cos(π/2) = 0 gives the midpoint (1 + 0.2)/2.
    assert!((schedule.at(2).unwrap() - 0.6).abs() < 1e-15);
    assert_eq!(schedule.at(4).unwrap(), 0.2);
    assert_eq!(schedule.at(1000).unwrap(), 0.2);
    assert!(schedule.at(3).unwrap() > 0.2);
}

#[test]
fn schedules_reject_bad_settings() {
    let bad = [
        (LearningRate::Constant(0.0), "learning_rate"),
        (
            LearningRate::InverseTime {
                initial: 1.0,
                decay: -1.0,
            },
            "InverseTime decay",
        ),
        (
            LearningRate::StepDecay {
                initial: 1.0,
                factor: 1.5,
                every: 2,
            },
            "StepDecay factor",
        ),
        (
            LearningRate::StepDecay {
                initial: 1.0,
                factor: 0.5,
                every: 0,
            },
            "StepDecay every",
        ),
        (
            LearningRate::Exponential {
                initial: 1.0,
                rate: 0.0,
            },
            "Exponential rate",
        ),
        (
            LearningRate::Cosine {
                initial: 1.0,
                minimum: 2.0,
                period: 5,
            },
            "Cosine minimum",
        ),
        (
            LearningRate::Cosine {
                initial: 1.0,
                minimum: 0.1,
                period: 0,
            },
            "Cosine period",
        ),
        (
            LearningRate::InverseSqrt { initial: f64::NAN },
            "learning_rate initial",
        ),
    ];
    for (schedule, name) in bad {
        let text = schedule.check().unwrap_err().to_string();
        assert!(text.contains(name), "{schedule:?}: {text}");
    }
    let custom = LearningRate::custom(|_| f64::NAN);
    assert!(custom.check().is_ok());
    assert!(custom.at(0).unwrap_err().to_string().contains("NaN"));
}

/// f(θ) = 3θ₀ − 4θ₁: the gradient is (3, −4) everywhere, so each rule's steps have a
/// closed form.
struct Plane;

impl Objective for Plane {
    fn dim(&self) -> usize {
        2
    }
    fn eval<S: Scalar>(&self, t: &[S]) -> S {
        t[0] * 3.0 - t[1] * 4.0
    }
}

fn first_two_steps(rule: UpdateRule, alpha: f64) -> (Vec<f64>, Vec<f64>) {
    let solution = GradientDescent::new()
        .update(rule)
        .learning_rate(alpha)
        .gradient_tolerance(None)
        .max_iterations(2)
        .record_trace(true)
        .minimize(&Plane, &[0.0, 0.0])
        .unwrap();
    let trace = solution.trace.unwrap();
    (trace.get(1).theta.to_vec(), trace.get(2).theta.to_vec())
}

#[test]
fn plain_and_momentum_steps() {
    let g = [3.0, -4.0];
    let (one, two) = first_two_steps(UpdateRule::Plain, 0.1);
    assert_eq!(one, vec![-0.1 * g[0], -0.1 * g[1]]);
    assert_eq!(two, vec![-0.2 * g[0], -0.2 * g[1]]);

    // v₁ = g, v₂ = 0.5 g + g = 1.5 g; θ₂ = −0.1 (g + 1.5 g) = −0.25 g.
    let (one, two) = first_two_steps(UpdateRule::Momentum { beta: 0.5 }, 0.1);
    assert!((one[0] - -0.3).abs() < 1e-15);
    assert!((two[0] - -0.75).abs() < 1e-15);
    assert!((two[1] - 1.0).abs() < 1e-15);
}

#[test]
fn nesterov_first_step_looks_ahead() {
    // v₁ = g, Δ₁ = −α (g + β v₁) = −α (1 + β) g.
    let (one, _) = first_two_steps(UpdateRule::Nesterov { beta: 0.5 }, 0.1);
    assert!((one[0] - -0.45).abs() < 1e-15);
    assert!((one[1] - 0.6).abs() < 1e-15);
}

#[test]
fn adaptive_first_steps_have_size_alpha() {
    // AdaGrad: −α g / (|g| + ε); RMSProp: −α g / (√(1 − ρ) |g| + ε); Adam with bias
    // correction: m̂ = g and v̂ = g², so −α g / (|g| + ε). Each moves every coordinate by
    // about α in the direction of −sign(g).
    let alpha = 0.01;
    for rule in [UpdateRule::ADAGRAD, UpdateRule::ADAM] {
        let (one, _) = first_two_steps(rule, alpha);
        assert!(
            (one[0] - -alpha * 3.0 / (3.0 + 1e-8)).abs() < 1e-15,
            "{rule:?}"
        );
        assert!(
            (one[1] - alpha * 4.0 / (4.0 + 1e-8)).abs() < 1e-15,
            "{rule:?}"
        );
    }
    let (one, _) = first_two_steps(UpdateRule::RMSPROP, alpha);
    let expected = -alpha * 3.0 / (0.1f64.sqrt() * 3.0 + 1e-8);
    assert!((one[0] - expected).abs() < 1e-14, "{one:?}");
}

#[test]
fn adam_bias_correction_keeps_step_size() {
    // With a constant gradient, m̂ₜ = g and v̂ₜ = g² at every t, so every Adam step has
    // the same size α·|g|/(|g| + ε).
    let (one, two) = first_two_steps(UpdateRule::ADAM, 0.01);
    assert!(((two[0] - one[0]) - one[0]).abs() < 1e-15);
}
