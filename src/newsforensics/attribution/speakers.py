"""Speakers: who a speaker phrase names, resolved across the article.

A person is named once in full and then shortened or described ("Maj. Gen. Anna Morrow"
... "Morrow" ... "the British commander" ... "she"), so phrases are resolved
in text order: names to the fullest mention with the same surname, pronouns to the most recent
speaker, role descriptions to the most recent person whose title or role fits (role groups
from the lexicon), and anything else to a collective speaker ("the port authority",
"Ankara and its allies"). Titles, roles and organisations are read off the phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from ..document import Document
from .lexicon import lexicon
from .phrases import subject_phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

NON_PERSON_ENTITIES = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "LAW"})
DETERMINERS = ("the ", "a ", "an ", "this ", "that ")
NAME_SUFFIX = re.compile(r",?\s+(?:Jr\.?|Sr\.?|II|III|IV)$")  # "Edward E. Curtis IV" → Curtis
ANY_ROLE = "any"  # the role group of "chief", "head": fits whoever has a role
RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose|whom)\b")
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl"})
TITLE_THEN_NAME = re.compile(r"\s+((?:[A-Z][\w'’.-]*)(?:[ \t]+[A-Z][\w'’.-]*){0,2})")
ORGANISATION_ENTITIES = frozenset({"ORG", "GPE"})
REFLEXIVE = re.compile(r"[ ,]+(?:himself|herself|themselves|itself)$", re.IGNORECASE)
TITLE_BEFORE = re.compile(r"((?:[A-Z][\w.'’-]*[ \t]+){1,3})$")  # "Russian President " before a name


class Framed(Protocol):
    """What speaker resolution reads and writes on an attribution (``model.Attribution``)."""

    speaker: tuple[int, int] | None
    resolved: Speaker | None


def is_modifier(tok: Token) -> bool:
    return tok.dep_ == "compound" and tok.head.pos_ == "NOUN"


@dataclass
class Speaker:
    """A resolved speaker: one per person or collective, gathering its mentions."""

    name: str
    kind: str  # person | group
    title: str | None = None
    role: str | None = None
    organisation: str | None = None
    entity: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention with the fullest name the entities stage found for it."""

    start: int
    end: int
    label: str
    canonical: str
    cluster: str | None


class Resolver:
    """Resolves speaker phrases to speakers, in text order (later references look back)."""

    def __init__(self, doc: Document, sp: SpacyDoc, quoted: Sequence[tuple[int, int]] = (),
                 headline: tuple[int, int] | None = None) -> None:
        self.text, self.sp, self.lex = doc.text, sp, lexicon()
        self.mentions = self._mentions(doc, sp)
        # people and organisations named inside quotations are the speaker's words: a later
        # "he" or "the candidate" outside them never refers to them
        # and neither do the title-case headline's ("Pope Francis Denounces …" read as a name)
        headline = headline or (0, 0)
        self.antecedents = [m for m in self.mentions if not any(a <= m.start < b for a, b in quoted)
                            and not headline[0] <= m.start < headline[1]]
        self._resolved: dict[tuple[int, int], Speaker | None] = {}
        self.by_surname: dict[str, Mention] = {}
        for m in self.mentions:
            if m.label == "PERSON":
                surname = self._name_words(m.canonical)[-1:]
                if surname:
                    best = self.by_surname.get(surname[0])
                    if best is None or len(m.canonical) > len(best.canonical):
                        self.by_surname[surname[0]] = m
        self.speakers: dict[str, Speaker] = {}
        self.recent: list[Speaker] = []
        self.forward_roles: dict[tuple[int, int], str] = {}  # role descriptions no one fitted yet
        markers = sorted(self.lex.gender_markers, key=len, reverse=True)
        self._marker = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, markers)) + r")(?!\w)")
        self._genders: dict[str, str | None] = {}

    @staticmethod
    def _mentions(doc: Document, sp: SpacyDoc) -> list[Mention]:
        """Entity mentions: the entities layer when it ran, else the parse's own entities."""
        if "entities" in doc.layers:
            return [Mention(e.start, e.end, e.label, Resolver._canonical(e.text, e.attrs.get("canonical"), e.label),
                            e.attrs.get("cluster"))
                    for e in doc.get("entities")]
        return [Mention(e.start_char, e.end_char, e.label_, e.text, None) for e in sp.ents]

    @staticmethod
    def _canonical(text: str, canonical: object, label: str) -> str:
        """The entities stage's fullest name for a mention, unless it ends with another word
        than the person's name does ("Pope Francis" → "Francis Denounces", a title-case
        headline read as one name): then the mention's own text."""
        if not canonical:
            return text
        last = [re.sub(r"['’]s$", "", w) for w in (text.split()[-1:], str(canonical).split()[-1:]) for w in w]
        return text if label == "PERSON" and len(last) == 2 and last[0] != last[1] else str(canonical)

    def _name_words(self, name: str) -> list[str]:
        words = [w.strip(",") for w in NAME_SUFFIX.sub("", name).split()]
        while words and self.lex.is_title(words[0]) or len(words) > 1 and words[0][:1].islower():
            words.pop(0)  # titles, and a lowercase word the tagger ran in ("kick Acosta")
        return [re.sub(r"['’]s$", "", w) for w in words if w]

    def resolve(self, start: int, end: int) -> Speaker | None:
        """The speaker a phrase names; None for a personal pronoun with no compatible named
        person before it (a pronoun is never a speaker's name). A phrase framing two statements
        names the same speaker for both."""
        if (start, end) not in self._resolved:
            self._resolved[(start, end)] = self._resolve(start, end)
        return self._resolved[(start, end)]

    def _resolve(self, start: int, end: int) -> Speaker | None:
        phrase = self.text[start:end]
        reflexive = REFLEXIVE.search(phrase)
        if reflexive is not None and reflexive.start() > 0:  # "He himself said": the pronoun
            end = start + len(phrase[:reflexive.start()].rstrip(" ,"))
            phrase = self.text[start:end]
        if phrase.split() and all(self.lex.is_title(w) for w in phrase.split()):
            name = TITLE_THEN_NAME.match(self.text, end)  # "said Sen.\nRob Portman": a split title
            end = name.end(1) if name else end
        person = self._person_in(start, end)
        if person is not None:
            speaker = self._person_speaker(person, start, end)
        elif (issuer := self._issuer(start, end)) is not None:
            speaker = self._resolve(*issuer)
            if speaker is None:
                return None
        else:
            words = phrase.lower().split()
            if words and words[0] in self.lex.deictic and (len(words) == 1 or words[1] in ("all", "both")):
                return None  # the writer or the reader ("we all know that …")
            if len(words) == 1 and words[0] in self.lex.person_pronouns:
                speaker = self._pronoun_antecedent(words[0], start)
                if speaker is None:
                    return None
            elif len(words) == 1 and words[0] in self.lex.group_pronouns:
                speaker = self._antecedent(person_only=False)
            elif len(words) == 1 and words[0] in self.lex.organisation_pronouns:
                speaker = self._last_of_kind("group", start)
                if speaker is None:
                    return None  # "it said" with no organisation before it: no one named
            elif self._role_description(words):
                speaker = self._antecedent(person_only=True, role=words[-1]) or self._titled(words[-1], start)
                if speaker is None:
                    self.forward_roles[(start, end)] = words[-1]
            elif self._description(words) and not self._names_anything(start, end):
                speaker = (self._titled(words[-1], start) if self.lex.is_title(words[-1].capitalize()) else None) \
                    or self._described(words[-1], start)
            else:
                speaker = None
            if speaker is None:
                speaker = self._group_speaker(start, end)
        speaker.mentions.append((start, end))
        self.recent.append(speaker)
        return speaker

    def _issuer(self, start: int, end: int) -> tuple[int, int] | None:
        """Who issued the document a phrase names: "the note [from Commerzbank]", "[the
        department] issued an alert, which states"; None for anything else."""
        phrase = self.sp.char_span(start, end, alignment_mode="expand")
        root = phrase.root if phrase is not None else None
        if root is None or root.lower_ not in self.lex.documents:
            return None
        for prep in root.children:
            if prep.dep_ == "prep" and prep.lower_ in self.lex.issuer_links:
                named = [t for t in prep.subtree if t.ent_type_ in ("ORG", "PERSON", "GPE") or t.pos_ == "PROPN"]
                if named:
                    return named[0].idx, named[-1].idx + len(named[-1])
        made = next((c for c in root.children if c.dep_ == "relcl"), None)
        maker = next((c for c in made.children if c.dep_ == "nsubj" and c.lower_ not in self.lex.non_speakers), None) \
            if made is not None else None
        if maker is not None:  # "the remarks that the Pope had made": the maker's
            return subject_phrase(maker, maker.left_edge.i, maker.i + 1)
        if root.dep_ == "dobj":
            subject = max((c for c in root.head.children if c.dep_ == "nsubj" and c.i < root.head.i),
                          key=lambda c: c.i, default=None)  # the nearest, not a headline run in
            if subject is not None and subject.lower_ not in self.lex.non_speakers:
                lo = max((t.i + 1 for t in self.sp[subject.left_edge.i:subject.i] if t.is_space),
                         default=subject.left_edge.i)  # not across a line break (a headline)
                return subject_phrase(subject, lo, root.i)
        return None

    # -- people -------------------------------------------------------------------------

    def _person_in(self, start: int, end: int) -> tuple[int, int, Mention] | None:
        """The person named in a phrase: a PERSON mention; else a name whose last word is the
        surname of a person named elsewhere (the parse mislabels surnames); else the proper
        name heading the phrase, unless it names a place or an organisation."""
        for m in self.mentions:
            if m.start >= start and m.end <= end and m.label == "PERSON" and not self._possessor(m, end) \
                    and not self._modifier(m) and not self._in_clause(m, start, end):
                nearest = self._nearest_full_name(m)
                return m.start, m.end, nearest or self._known(m)
        phrase = self.sp.char_span(start, end, alignment_mode="expand")
        if phrase is None:
            return None
        runs = [(f, l) for f, l in self._name_runs(phrase)
                if not self._owns(l.idx + len(l), end) and not is_modifier(l)]
        for first, last in runs:
            known = self.by_surname.get(last.text)
            name = self.text[first.idx:last.idx + len(last)]
            if known is not None and self._same_person(name, known):
                if len(name) > len(known.canonical):  # a fuller name than any seen so far
                    known = self.by_surname[last.text] = Mention(
                        first.idx, last.idx + len(last), "PERSON", name, known.cluster)
                return first.idx, last.idx + len(last), known
        head = next(((f, l) for f, l in runs if f.i <= phrase.root.i <= l.i), None)
        if head is None:
            return None
        first, last = head
        if any(t.lower_ in ("'s", "’s") for t in phrase if t.i < first.i):
            return None  # "The U.S. Attorney's Office": an office of someone, not a person
        titled = first.i > 0 and self.sp[first.i - 1].text in self.lex.honorifics
        end = last.idx + len(last)
        non_person = last.ent_type_ in NON_PERSON_ENTITIES or any(  # the corrected entities win
            m.label != "PERSON" and m.start <= first.idx and end <= m.end for m in self.mentions)
        if (non_person or last.lower_ in self.lex.organisation_name_ends) and not titled:
            return None  # a place, or an organisation's name ("Associated Press reported")
        name = self.text[first.idx:last.idx + len(last)]
        return first.idx, last.idx + len(last), Mention(first.idx, last.idx + len(last), "PERSON",
                                                        name, None)

    def _known(self, mention: Mention) -> Mention:
        """The fullest mention of the person a mention names: "Lamar Smith" → "Quentin Lamar
        Smith", but "Candace Smith" is someone else with the same surname."""
        known = self.by_surname.get(self._surname(mention.canonical))
        return known if known is not None and self._same_person(mention.canonical, known) else mention

    def _same_person(self, name: str, known: Mention) -> bool:
        words, full = self._name_words(name), self._name_words(known.canonical)
        return len(words) < 2 or len(full) < 2 or words[-len(full):] == full or full[-len(words):] == words

    def _possessor(self, mention: Mention, end: int) -> bool:
        """ "Leveille’s 13-year-old son told …": the named person owns the speaker."""
        return self._owns(mention.end, end)

    def _modifier(self, mention: Mention) -> bool:
        """ "the Trump administration said", "the Trump nominations contradict …": a name
        modifying a common noun names what speaks, not who."""
        span = self.sp.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and is_modifier(span.root)

    def _in_clause(self, mention: Mention, start: int, end: int) -> bool:
        """ "Sabato — a former model who … faced off Rep. Julia Brownley — said": a person named
        in a clause inside the speaker phrase is not the speaker."""
        span = self.sp.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and any(
            a.dep_ in CLAUSE_DEPS and start <= a.idx < end for a in span.root.ancestors)

    def _owns(self, name_end: int, end: int) -> bool:
        return self.text.startswith(("'s", "’s"), name_end) and name_end + 2 < end

    def _nearest_full_name(self, mention: Mention) -> Mention | None:
        """For a bare surname ("Muhammad"), the nearest full name before it that ends with it
        ("Askia Muhammad", not an "Elijah Muhammad" named paragraphs earlier)."""
        words = self._name_words(self.text[mention.start:mention.end])
        if len(words) != 1:
            return None
        for m in reversed(self.mentions):
            if m.end <= mention.start and m.label == "PERSON":
                full = self._name_words(self.text[m.start:m.end])
                if len(full) > 1 and full[-1] == words[0]:
                    return Mention(m.start, m.end, "PERSON", " ".join(full), m.cluster)
        return None

    def _name_runs(self, phrase: SpacySpan) -> list[tuple[Token, Token]]:
        """Runs of capitalised proper nouns in a phrase, titles left out."""
        runs: list[tuple[Token, Token]] = []
        current: list[Token] = []
        for tok in list(phrase) + [None]:  # type: ignore[list-item]
            if tok is not None and tok.pos_ == "PROPN" and tok.text[:1].isupper() \
                    and not self.lex.is_title(tok.text) and tok.text != ".":
                current.append(tok)
                continue
            if current:
                runs.append((current[0], current[-1]))
            current = []
        return runs

    def _surname(self, name: str) -> str:
        words = self._name_words(name)
        return words[-1] if words else name

    def _person_speaker(self, found: tuple[int, int, Mention], start: int, end: int) -> Speaker:
        n_start, n_end, mention = found
        canonical = " ".join(self._name_words(mention.canonical))
        speaker = self.speakers.get(canonical.lower())
        if speaker is None:
            speaker = self.speakers[canonical.lower()] = Speaker(canonical, "person",
                                                                  entity=mention.cluster)
            self.by_surname.setdefault(self._surname(canonical), mention)
        before = [p.strip() for p in self.text[start:n_start].split(",")]
        after = [p.strip() for p in self.text[n_end:end].split(",")]
        title = self._title(before[-1]) if before else None
        role = self._role(before[:-1] + after[1:] if len(after) > 1 else before[:-1])
        speaker.title = speaker.title or title
        speaker.role = speaker.role or role or (title if self._has_role_noun(title) else None)
        speaker.organisation = speaker.organisation or self._organisation(speaker.role, start, end)
        return speaker

    def _title(self, text: str) -> str | None:
        """A speaker phrase as a name: no leading determiner, no trailing relative clause
        ("a representative …, who asked not to be named")."""
        text = RELATIVE_CLAUSE.split(text, maxsplit=1)[0].strip()
        for det in DETERMINERS:
            if text.lower().startswith(det):
                text = text[len(det):]
        return text or None

    def _role(self, parts: list[str]) -> str | None:
        parts = [self._title(p) for p in parts]
        parts = [p for p in parts if p and re.search(r"[^\W\d]{3}", p)
                 and not re.search(r"\b(?:who|which|that)\b", p)]
        return parts[0] if parts else None

    def _has_role_noun(self, text: str | None) -> bool:
        return bool(text) and any(w.lower().strip(".") in self.lex.role_groups for w in text.split())

    def _organisation(self, role: str | None, start: int, end: int) -> str | None:
        """The organisation a role names ("head of the X", "spokesman for X"), else an ORG
        mentioned in the speaker phrase."""
        if role:
            words = role.split()
            for k, w in enumerate(words[:-1]):
                if w.lower() in self.lex.organisation_links:
                    org = self._title(" ".join(words[k + 1:]))
                    if org and org[:1].isupper():
                        return org
        org = next((m for m in self.mentions if m.label == "ORG" and start <= m.start and m.end <= end),
                   None)
        return self._title(org.canonical) if org else None

    def _role_description(self, words: list[str]) -> bool:
        return (
            len(words) >= 2 and words[0] in {"the", "this", "that"}
            and words[-1] in self.lex.role_groups
        )

    def _names_anything(self, start: int, end: int) -> bool:
        """Whether a phrase holds a proper noun ("The Russian Foreign Ministry" names one; "the
        esteemed Argentinian evangelist" only describes)."""
        phrase = self.sp.char_span(start, end, alignment_mode="expand")
        return phrase is None or any(t.pos_ == "PROPN" and t.ent_type_ != "NORP" and not self.lex.is_title(t.text)
                                     for t in phrase)  # "The Pope" describes

    def _description(self, words: list[str]) -> bool:
        """ "the actor-turned-congressional candidate", "the 45-year-old", "the alliance": a
        definite description of a person (not by a role noun) or an organisation (its bare noun)."""
        noun = words[-1] if len(words) >= 2 and words[0] in {"the", "this"} else ""
        if len(words) == 2 and noun in self.lex.organisation_descriptions:
            return True  # "the health ministry" introduces a ministry, "the ministry" refers back
        return noun not in self.lex.role_groups and (noun in self.lex.person_descriptions
                                                     or noun.endswith("year-old"))

    def _described(self, noun: str, start: int) -> Speaker | None:
        """The entity a description refers back to: an organisation whose name holds the noun
        ("the commission": the European Commission), else the last speaker of its kind unless a
        person (organisation) is named after it as a sentence's subject, else the last one named."""
        if noun in self.lex.organisation_descriptions:
            named = next((m for m in reversed(self.antecedents) if m.end <= start and m.label == "ORG"
                          and noun in m.canonical.lower()), None)
            return self._group_speaker(named.start, named.end) if named else self._last_of_kind(
                "group", start, lambda s: s.organisation is not None)
        return self._last_of_kind("person", start)

    def _last_of_kind(self, kind: str, start: int, fits: Callable[[Speaker], bool] = lambda s: True,
                      ) -> Speaker | None:
        """The speaker a description or "it" refers back to: the last speaker of its kind (person
        or group) that fits, unless an entity of that kind is named after it as a sentence's
        subject; with no such speaker, the last entity of the kind named before."""
        labels = {"PERSON"} if kind == "person" else ORGANISATION_ENTITIES
        last = next((s for s in reversed(self.recent) if s.kind == kind and fits(s)), None)
        since = max((e for _, e in last.mentions if e <= start), default=0) if last else 0
        named = [m for m in reversed(self.antecedents) if m.end <= start and m.label in labels
                 and not (kind == "group" and self._a_persons_name(m))]
        found = next((m for m in named if m.start >= since and self._is_subject(m, main_clause=True)),
                     None if last else next(iter(named), None))
        if found is None:
            return last
        if kind == "person":
            return self._person_speaker((found.start, found.end, self._known(found)), found.start, found.end)
        return self._group_speaker(found.start, found.end)

    def _a_persons_name(self, mention: Mention) -> bool:
        """An organisation mention that is the surname of a person the text names in full
        ("Acosta" tagged ORG after "Jim Acosta"): the person, never "the network"."""
        words = self._name_words(mention.canonical)
        known = self.by_surname.get(words[-1]) if len(words) == 1 else None
        return known is not None and len(self._name_words(known.canonical)) > 1

    def _role_fits(self, role: str, words: list[str]) -> bool:
        """Whether a title or role (its words) fits a role noun: the same noun, a noun it
        abbreviates ("gen" for general), or a noun of a shared role group."""
        groups = self.lex.role_groups.get(role, frozenset())
        if ANY_ROLE in groups and any(w in self.lex.role_groups for w in words):
            return True
        return any(role.startswith(w) or w == role for w in words if len(w) > 2) or any(
            self.lex.role_groups.get(w, frozenset()) & groups for w in words
        ) or any(
            noun.startswith(w) and self.lex.role_groups[noun] & groups
            for w in words if len(w) > 2 for noun in self.lex.role_groups
        )

    def _titled(self, role: str, start: int) -> Speaker | None:
        """For a role description no speaker fits, the last person named before it with a
        title that fits ("… with President Donald Trump …" then "“…,” the president said")."""
        for m in reversed(self.antecedents):
            if m.label != "PERSON" or m.end > start:
                continue
            title = TITLE_BEFORE.search(self.text, max(0, m.start - 60), m.start)
            words = f"{title.group(1) if title else ''} {self.text[m.start:m.end]}".lower().replace(".", " ").split()
            if role in words or self._role_fits(role, [w for w in words if w in self.lex.role_groups]):
                return self._person_speaker((m.start, m.end, self._known(m)), m.start, m.end)
        return None

    def settle_forward(self, attributions: Sequence[Framed]) -> None:
        """A role description no one quoted before fits ("The WHO chief said …") is the person
        quoted next, within a few lines, whose speaker phrase fits the role ("…," WHO
        Director-General Tedros Adhanom Ghebreyesus told reporters): the lede names by role
        and the name follows."""
        horizon = self.lex.limits["role_lookahead_chars"]
        for att in attributions:
            role = self.forward_roles.get(att.speaker) if att.speaker else None
            if role is None:
                continue
            for later in attributions:
                if later.speaker is None or later.resolved is None or later.resolved.kind != "person" \
                        or not 0 < later.speaker[0] - att.speaker[1] <= horizon:
                    continue
                described = f"{self.text[later.speaker[0]:later.speaker[1]]} {later.resolved.title or ''} " \
                            f"{later.resolved.role or ''}"
                if self._role_fits(role, re.findall(r"[^\W\d_]+", described.lower())):
                    att.resolved = later.resolved
                    break

    def _antecedent(self, person_only: bool, role: str | None = None) -> Speaker | None:
        """The most recent speaker (a person for "he"), or for a role description ("the
        general") the most recent person whose title or role fits the role noun."""
        candidates = [s for s in reversed(self.recent) if s.kind == "person" or not person_only]
        if role is not None:
            for s in candidates:
                if self._role_fits(role, f"{s.title or ''} {s.role or ''}".lower().replace(".", " ").split()):
                    return s
            return None  # "the health secretary" is nobody quoted so far: a speaker of its own
        return candidates[0] if candidates else None

    def _pronoun_antecedent(self, pronoun: str, start: int) -> Speaker | None:
        """"he"/"she": the most recent compatible speaker, else the last compatible person
        the text names before the pronoun."""
        gender = self.lex.pronoun_gender.get(pronoun)
        last = next((s for s in reversed(self.recent) if s.kind == "person" and self._compatible(s, gender)),
                    None)
        since = max((e for _, e in last.mentions if e <= start), default=0) if last else 0
        governing = self._governing_clause_person(start)
        if governing is not None:
            speaker = self._person_speaker((governing.start, governing.end, self._known(governing)),
                                           governing.start, governing.end)
            if self._compatible(speaker, gender):
                return speaker
        before = self._sentence_before(start)
        for m in reversed(self.antecedents):
            if m.label != "PERSON" or m.end > start or m.start < since:
                continue
            if last is not None and not (self._surely_a_person(m) and (
                    self._is_subject(m) or m is before and self._named_outright(m))):
                continue  # a person merely mentioned after the last speaker does not take over
                # (one named in the sentence just before does: "… from Rep. Beto O'Rourke. “…,” he wrote")
            speaker = self._person_speaker(
                (m.start, m.end, self._known(m)), m.start, m.end)
            if self._compatible(speaker, gender):
                return speaker
        return last

    def _governing_clause_person(self, start: int) -> Mention | None:
        """For a pronoun subject of a subordinate clause, the one person its governing clause
        names before it ("you do not take Bishop Nona Amel seriously, when he tells us: “…”"):
        who the pronoun means, whoever was quoted last."""
        here = self.sp.char_span(start, start + 1, alignment_mode="expand")
        if here is None or here[0].dep_ != "nsubj" or here[0].head.dep_ not in CLAUSE_DEPS | {"ccomp"}:
            return None
        governing, sent = here[0].head.head, here[0].sent
        people = {m.canonical: m for m in self.antecedents
                  if m.label == "PERSON" and sent.start_char <= m.start and m.end <= start
                  and self._surely_a_person(m) and self._clause_verb(m) == governing}
        return next(iter(people.values())) if len(people) == 1 else None

    def _clause_verb(self, mention: Mention) -> Token | None:
        """The verb of the clause a mention is an argument of (through nouns and prepositions)."""
        span = self.sp.char_span(mention.start, mention.end, alignment_mode="expand")
        tok = span.root if span is not None else None
        while tok is not None and tok.head.i != tok.i and tok.pos_ not in ("VERB", "AUX"):
            tok = tok.head
        return tok if tok is not None and tok.pos_ in ("VERB", "AUX") else None

    def _sentence_before(self, start: int) -> Mention | None:
        """The one person named in the sentence before the one holding ``start``, when that
        sentence has no person or personal pronoun as its subject ("It was a similar sentiment
        from Rep. Beto O'Rourke."): who a "he" in the next sentence most likely means."""
        here = self.sp.char_span(start, start + 1, alignment_mode="expand")
        if here is None or here.sent.start == 0:
            return None
        sent = self.sp[here.sent.start - 1].sent
        people = [m for m in self.antecedents if m.label == "PERSON"
                  and sent.start_char <= m.start and m.end <= sent.end_char and self._surely_a_person(m)]
        subjects = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head == sent.root]
        if len({m.canonical for m in people}) != 1 or any(
                t.ent_type_ == "PERSON" or t.lower_ in self.lex.person_pronouns for t in subjects):
            return None
        return people[-1]

    def _named_outright(self, mention: Mention) -> bool:
        """A person named for themselves, not as a possessor or modifier ("Kovacs' party")."""
        span = self.sp.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and span.root.dep_ not in ("poss", "compound")

    def _surely_a_person(self, mention: Mention) -> bool:
        """A full name, or a surname the text gives a full name for: a lone capitalised word
        the entity tagger calls a person is too often a company or a place to take over."""
        full = self._name_words(self._known(mention).canonical)
        return len(full) > 1 and not full[-1].isupper()  # "CNN" is no one's surname

    def _is_subject(self, mention: Mention, main_clause: bool = False) -> bool:
        """Whether a person mention is the subject of its clause ("Orban has taken a tough
        stance. He has ordered …"): such a person, named after the last speaker, is who a
        following "he" most likely means."""
        span = self.sp.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or self.text.startswith(("'s", "’s"), mention.end):
            return False  # "attacked Trump's calling his stories into question": a possessor
        root = span.root
        # "the prime minister, Viktor Orban," (apposition) is the subject; "the Trump
        # nominations" and "Kovacs' party" (a noun's modifier or possessor) are not
        while root.head.i != root.i and (root.dep_ == "appos" or root.dep_ == "compound"
                                         and root.head.pos_ == "PROPN"):
            root = root.head
        if main_clause and root.head.dep_ not in ("ROOT", "conj"):
            return False  # "Hollywood wants [Oprah] to run": the subject of a clause inside
        return root.dep_ in ("nsubj", "nsubjpass")

    def _compatible(self, speaker: Speaker, gender: str | None) -> bool:
        known = self._gender(speaker)
        return gender is None or known is None or known == gender

    def _gender(self, speaker: Speaker) -> str | None:
        """A person's gender when the text says it: a gendered title before their surname
        ("Ms. Mallory") or a gendered role word ("spokeswoman")."""
        if speaker.name not in self._genders:
            found = None
            for word in f"{speaker.title or ''} {speaker.role or ''}".split():
                found = found or self.lex.gender_markers.get(word)
            if found is None and speaker.kind == "person":
                found = self.lex.first_name_gender.get(speaker.name.split()[0])
            if found is None:
                surname = re.escape(self._surname(NAME_SUFFIX.sub("", speaker.name)))
                after = re.compile(rf"\s+(?:[A-Z][\w.'’-]*\s+){{0,2}}?{surname}(?!\w)")
                for m in self._marker.finditer(self.text):
                    if after.match(self.text, m.end()):
                        found = self.lex.gender_markers[m.group(1)]
                        break
            self._genders[speaker.name] = found
        return self._genders[speaker.name]

    # -- groups -------------------------------------------------------------------------

    def _group_speaker(self, start: int, end: int) -> Speaker:
        name = self._title(self.text[start:end].strip(" ,")) or self.text[start:end]
        entity = next((m for m in self.mentions if m.start <= start + 4 and m.end >= end - 1), None)
        if entity is not None and entity.label != "PERSON":
            name = self._title(entity.canonical) or name
        speaker = self.speakers.get(name.lower())
        if speaker is None:
            speaker = self.speakers[name.lower()] = Speaker(
                name, "group", entity=entity.cluster if entity else None,
                organisation=name if entity is not None and entity.label == "ORG" else None,
            )
        return speaker


