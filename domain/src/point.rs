//! The points of the intervention where everyone rates: at the start, after 3 and 6 months
//! and at the end. The timeline says when each is due, the rating rounds are held at them, and
//! *Denne uken* asks for them; so they sit below all three.

/// A point in the intervention where everyone rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Point {
    Start,
    ThreeMonths,
    SixMonths,
    End,
}

impl Point {
    pub const ALL: [Point; 4] = [
        Point::Start,
        Point::ThreeMonths,
        Point::SixMonths,
        Point::End,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Point::Start => "start",
            Point::ThreeMonths => "m3",
            Point::SixMonths => "m6",
            Point::End => "end",
        }
    }

    pub fn parse(s: &str) -> Option<Point> {
        Point::ALL.into_iter().find(|p| p.code() == s)
    }

    pub fn label(self) -> &'static str {
        crate::vocab::label(crate::vocab::ROUND_POINTS, self.code()).unwrap_or("")
    }

    /// For chart axes.
    pub fn short(self) -> &'static str {
        match self {
            Point::Start => "Start",
            Point::ThreeMonths => "3 mnd",
            Point::SixMonths => "6 mnd",
            Point::End => "Slutt",
        }
    }
}
