"""A test set for edited resume clones: resumes of one job title and skill set, and clones of them
with graded edits (numbers, names, employers, up to a quarter of the words, bullet order).

Written for this project (not taken from real resumes). Every resume is composed from pools of
verbs, objects, technologies and outcomes, so unrelated resumes share the title, the skills line,
stock sentences ("Worked closely with product managers and designers in cross-functional teams")
and many phrases ("with React and TypeScript", "the admin portal") but not their bullets as a
whole, which is how honest resumes for the same role look (if anything they share more here).
Deterministic: a seed gives the same set every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

TITLE = "Senior Full-Stack Developer"
SKILLS = "React, TypeScript, Node.js, GraphQL, PostgreSQL, AWS, Docker, Kubernetes, CI/CD"
VERBS = [
    "Built",
    "Designed",
    "Led",
    "Migrated",
    "Implemented",
    "Refactored",
    "Optimised",
    "Delivered",
    "Automated",
    "Introduced",
    "Rebuilt",
    "Maintained",
    "Shipped",
    "Architected",
    "Modernised",
    "Owned",
    "Launched",
    "Scaled",
    "Streamlined",
    "Developed",
]
ADJECTIVES = [
    "the customer-facing",
    "a multi-tenant",
    "the internal",
    "a real-time",
    "the legacy",
    "a self-service",
    "the partner-facing",
    "an event-driven",
    "the mobile",
    "a reusable",
    "the company's core",
    "a cost-aware",
    "the regulated",
    "an offline-first",
    "the high-volume",
]
NOUNS = [
    "onboarding flow",
    "billing service",
    "admin portal",
    "notification system",
    "order tracking dashboard",
    "GraphQL gateway",
    "reporting module",
    "design system",
    "checkout experience",
    "inventory pipeline",
    "search API",
    "feature-flag service",
    "analytics ingestion layer",
    "access control model",
    "integration APIs",
    "payments retry logic",
    "document preview service",
    "scheduling module",
    "observability stack",
    "rendering path",
    "pricing engine",
    "claims workflow",
    "content editor",
    "recommendation widget",
    "audit trail",
    "data export tool",
    "chat support console",
    "identity service",
]
TECH = [
    "with React and TypeScript",
    "on Node.js and PostgreSQL",
    "using GraphQL and Apollo",
    "on AWS Lambda and DynamoDB",
    "with Docker and Kubernetes",
    "using Next.js server rendering",
    "with Redis caching",
    "on a Kafka event bus",
    "using Terraform-managed AWS infrastructure",
    "with Jest and Playwright test suites",
    "using Python microservices",
    "in a pnpm monorepo",
]
OUTCOMES = [
    "cutting page load time by {n}%",
    "reducing cloud spend by {n}%",
    "serving {n}M+ monthly users",
    "raising test coverage to {n}%",
    "halving incident response time",
    "shortening release cycles from weeks to days",
    "supporting {n} enterprise customers",
    "lowering error rates by {n}%",
    "improving conversion by {n}%",
    "enabling {n} teams to ship independently",
    "removing {n} hours of manual work per week",
    "with zero downtime",
]
EXTRAS = [
    "Mentored {n} junior developers through code review and pairing.",
    "Worked closely with product managers and designers in cross-functional teams.",
    "Set up CI/CD pipelines with GitHub Actions and automated quality gates.",
    "Ran technical interviews and wrote the team's onboarding guide.",
    "Championed accessibility and performance budgets across the front end.",
    "Participated in on-call rotation and led blameless postmortems.",
]
SUMMARIES = [
    "{title} with {n} years of experience building scalable web applications end to end.",
    "Full-stack engineer with {n} years of experience across product teams and platforms.",
    "Product-minded developer with {n} years shipping customer-facing features at scale.",
    "Engineer with {n} years of experience in web platforms, APIs and cloud infrastructure.",
]
FIRST = ["Daniel", "Maria", "Kevin", "Aisha", "Lucas", "Hannah", "Tomasz", "Priya", "Ethan", "Mei"]
LAST = ["Carter", "Novak", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Hughes", "Park"]
EMPLOYERS = [
    "Brightpath Labs",
    "Northwind Software",
    "Cobalt Analytics",
    "Riverstone Health",
    "Lumen Retail",
    "Harbor Logistics",
    "Quantive Systems",
    "Evergreen Media",
    "Pinecrest Bank",
    "Atlas Travel",
    "Meridian Insurance",
    "Solstice Games",
]
# words an editor swaps in (synonyms and near-synonyms of the pools' words, and fillers)
SWAPS = [
    "created",
    "crafted",
    "engineered",
    "spearheaded",
    "drove",
    "coordinated",
    "overhauled",
    "platform",
    "application",
    "tooling",
    "workflow",
    "module",
    "service",
    "system",
    "portal",
    "significantly",
    "successfully",
    "robust",
    "efficient",
    "modern",
    "secure",
    "high-traffic",
    "clients",
    "stakeholders",
    "users",
    "customers",
    "engineers",
    "squads",
    "latency",
    "uptime",
]


@dataclass(frozen=True, slots=True)
class Resume:
    """A resume as the screening reads it: the name, employers and the resume text."""

    name: str
    employers: tuple[str, ...]
    text: str


def _bullet(rng: random.Random) -> str:
    outcome = rng.choice(OUTCOMES).format(n=rng.randint(2, 90))
    thing = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    return f"{rng.choice(VERBS)} {thing} {rng.choice(TECH)}, {outcome}."


def resume(rng: random.Random) -> Resume:
    """One honest-looking resume for the shared title and skills."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    employers = tuple(rng.sample(EMPLOYERS, 3))
    lines = [name, TITLE, rng.choice(SUMMARIES).format(title=TITLE, n=rng.randint(5, 12))]
    lines.append(f"Skills: {SKILLS}")
    for employer in employers:
        lines.append(
            f"{TITLE} at {employer}, {rng.randint(2014, 2023)} to {rng.randint(2016, 2025)}"
        )
        lines += [f"- {_bullet(rng)}" for _ in range(rng.randint(3, 4))]
        lines.append(f"- {rng.choice(EXTRAS).format(n=rng.randint(2, 8))}")
    return Resume(name, employers, "\n".join(lines))


def clone(original: Resume, rng: random.Random, word_share: float) -> Resume:
    """An impostor's edit of ``original``: every number and the name and employers changed,
    bullets reordered within each job, and ``word_share`` of the other words replaced."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    while name == original.name:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    fresh = [e for e in EMPLOYERS if e not in original.employers]
    employers = tuple(rng.sample(fresh, len(original.employers)))
    text = original.text.replace(original.name, name)
    for old, new in zip(original.employers, employers, strict=True):
        text = text.replace(old, new)
    lines = text.split("\n")
    out: list[str] = []
    bullets: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("- "):
            bullets.append(line)
            continue
        rng.shuffle(bullets)
        out += bullets
        bullets = []
        if line:
            out.append(line)
    edited = []
    for line in out:
        words = line.split(" ")
        for i, word in enumerate(words):
            if any(c.isdigit() for c in word):
                words[i] = "".join(str(rng.randint(1, 9)) if c.isdigit() else c for c in word)
            elif i and rng.random() < word_share:
                words[i] = rng.choice(SWAPS)
        edited.append(" ".join(words))
    return Resume(name, employers, "\n".join(edited))


def dataset(
    seed: int = 13, originals: int = 60, shares: tuple[float, ...] = (0.0, 0.1, 0.2, 0.25)
) -> tuple[list[Resume], list[tuple[Resume, Resume, float]]]:
    """(unrelated resumes, (original, clone, share of words replaced) pairs)."""
    rng = random.Random(seed)
    base = [resume(rng) for _ in range(originals)]
    pairs = [(r, clone(r, rng, share), share) for r in base for share in shares]
    return base, pairs
