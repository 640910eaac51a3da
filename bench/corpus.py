#!/usr/bin/env python3
"""Write a synthetic, deterministic newsroom corpus for dateline benchmarks.

Usage:
    bench/corpus.py OUT --articles N [--seed S] [--flavor dateline|hugo]

The same arguments always give byte-identical files: every random choice comes
from one random.Random(seed), the wall clock is never read for content, and
sets are only ever used for membership tests.  Both flavors consume the random
stream identically, so `--flavor hugo` writes the very same stories (titles,
dates, authors, tags, summaries, bodies) in the layout Hugo expects, with a
small theme of its own that renders comparable pages.

dateline flavor:
    OUT/site.toml
    OUT/content/<section>/_index.md
    OUT/content/<section>/<year>/<slug>.md
    OUT/content/_authors/<author-slug>.md          (for about 60% of authors)

hugo flavor:
    OUT/hugo.toml
    OUT/layouts/_default/{baseof,single,list,terms}.html
    OUT/content/<section>/_index.md
    OUT/content/<section>/<year>/<slug>.md           (@/ links -> /<section>/<year>/<slug>/)
    OUT/content/authors/<author-slug>/_index.md      (the same profiles, as term pages)

Articles are written oldest first, one file at a time, so memory stays small:
about 28 MB of vocabulary and sentence pool, plus under 200 bytes per article for
the slugs kept for uniqueness and for links back to stories already written
(42 MB peak at 100,000 articles).  About 10 KB of Markdown per article, so
1,000,000 articles are about 10 GB.  Python 3.11 standard library only.
"""

import argparse
import array
import datetime as dt
import itertools
import os
import random
import re
import sys
import time
import unicodedata

# --------------------------------------------------------------------------
# Fixed vocabulary (written for this generator).  The seed decides how it is
# combined, ranked and sampled.
# --------------------------------------------------------------------------

SECTIONS = [
    # slug, title, description, share of articles
    ("business", "Business", "Companies, deals, workplaces and the money behind them.", 16),
    ("technology", "Technology", "Software, hardware, platforms and the people who build them.", 13),
    ("politics", "Politics", "Legislatures, campaigns, courts and the business of governing.", 12),
    ("world", "World", "Reporting from capitals, borders and front lines abroad.", 14),
    ("science", "Science", "Research, discovery and the evidence behind the headlines.", 7),
    ("culture", "Culture", "Books, film, music, food and the arts across the region.", 8),
    ("climate", "Climate", "Weather, energy, adaptation and the warming planet.", 7),
    ("markets", "Markets", "Stocks, bonds, currencies, commodities and the economy.", 10),
    ("opinion", "Opinion", "Columns, editorials and letters from readers.", 6),
    ("city", "City", "Neighbourhoods, transit, schools and city hall.", 7),
]

TOPICS = """economy; inflation; interest rates; central banks; housing; rents; jobs; labor unions;
wages; trade; tariffs; supply chains; shipping; ports; energy; oil; natural gas; solar power;
wind power; nuclear power; electric vehicles; batteries; mining; agriculture; food prices;
drought; floods; wildfires; heat waves; hurricanes; sea level; emissions; carbon markets;
biodiversity; oceans; public health; vaccines; hospitals; mental health; drug prices;
education; universities; student debt; schools; childcare; immigration; refugees; border policy;
elections; voting rights; campaign finance; parliament; the senate; courts; supreme court;
policing; prisons; gun policy; defense; diplomacy; sanctions; ceasefires; espionage;
cybersecurity; ransomware; privacy; surveillance; artificial intelligence; machine learning;
semiconductors; cloud computing; data centers; open source; social media; streaming;
video games; smartphones; broadband; satellites; space exploration; telescopes; genetics;
neuroscience; physics; archaeology; paleontology; astronomy; chemistry; mathematics;
startups; venture capital; private equity; mergers; bankruptcies; layoffs; earnings;
dividends; bonds; currencies; commodities; gold; cryptocurrency; banking; insurance;
pensions; real estate; retail; tourism; airlines; railways; public transit; bicycles;
traffic; zoning; homelessness; city budget; water supply; bridges; infrastructure;
libraries; museums; theatre; classical music; jazz; hip-hop; film festivals; television;
books; poetry; photography; architecture; fashion; restaurants; wine; coffee; sports business;
football; basketball; cycling; chess; philanthropy; religion; obituaries; weather;
local elections; taxes; budget deficit; minimum wage; gig economy; remote work; automation;
robotics; drones; quantum computing; biotech; pharmaceuticals; clinical trials; pandemics;
air quality; recycling; plastic pollution; forests; fisheries; lithium; copper; steel;
shipbuilding; aviation safety; antitrust; regulation; lobbying; corruption; press freedom;
misinformation; censorship; human rights; protests; strikes; housing market; mortgage rates""".split(";")

PLACES = """São Paulo; Zürich; Bogotá; Montréal; Kraków; Reykjavík; Malmö; Düsseldorf; Córdoba;
Curaçao; Besançon; Łódź; Gdańsk; Brașov; Tromsø; Ålesund; Göteborg; Málaga; Medellín; Cancún;
Mérida; Québec City; Nuuk; Lagos; Nairobi; Accra; Dakar; Addis Ababa; Kampala; Kigali; Lusaka;
Harare; Johannesburg; Cape Town; Cairo; Tunis; Casablanca; Istanbul; Ankara; Tbilisi; Yerevan;
Baku; Almaty; Tashkent; Karachi; Lahore; Mumbai; Chennai; Dhaka; Colombo; Kathmandu; Bangkok;
Hanoi; Jakarta; Manila; Seoul; Busan; Osaka; Sapporo; Taipei; Hong Kong; Shenzhen; Ulaanbaatar;
Sydney; Auckland; Suva; Lima; Quito; La Paz; Santiago; Buenos Aires; Montevideo; Asunción;
Caracas; Havana; Kingston; San Juan; Panama City; Guatemala City; Tegucigalpa; Managua;
Toronto; Vancouver; Winnipeg; Halifax; Anchorage; Honolulu; Phoenix; Denver; Detroit;
Baltimore; Cleveland; Pittsburgh; New Orleans; Miami; Atlanta; Chicago; Seattle; Portland;
Lisbon; Porto; Sevilla; Valencia; Marseille; Lyon; Genoa; Naples; Thessaloniki; Sofia;
Bucharest; Belgrade; Ljubljana; Vienna; Prague; Bratislava; Budapest; Warsaw; Vilnius; Riga;
Tallinn; Helsinki; Oslo; Stockholm; Copenhagen; Hamburg; Rotterdam; Antwerp; Dublin; Glasgow""".split(";")

COMPANY_STEMS = """Northwind Arbor Bellweather Cobalt Driftwood Emberline Fairhaven Glasswing Halcyon
Ironvale Juniper Kestrel Lodestar Meridian Nimbus Oakridge Pinecrest Quillon Redfern Saltmarsh
Tidewater Umberfield Vantage Westerly Yarrow Zephyrine Ashgrove Blackthorn Copperleaf Dunmore
Eastlake Foxglove Greyhaven Highmoor Ivorygate Kingsbridge Larchmont Moorland Northgate Orchard
Palisade Quarry Riverbend Stonebridge Thornbury Upland Valemont Whitcombe Brightwater Crestline
Deepwell Everstone Fernhill Goldcrest Heronsgate Lantern Mistral Norrland Overlook Pemberton
Rookery Silverline Tessellate Waypoint Brandt Søndergaard Ekström Lindqvist Oyelaran Castellanos""".split()

COMPANY_SUFFIXES = ["Holdings", "Group", "Labs", "Corp", "Systems", "Energy", "Bank", "Partners",
                    "Motors", "Pharma", "Logistics", "Capital", "Foods", "Airways", "Robotics",
                    "Media", "Mining", "Semiconductor", "Insurance", "Analytics"]

FIRST_NAMES = """Ava Liam Maya Noah Zoe Ethan Iris Omar Lena Ravi Sofia Jonas Aiko Mateo Chloe
Tariq Nina Felix Priya Hugo Amara Bastian Camille Dmitri Elif Farah Gideon Hana Idris Jana Kofi
Leila Marek Nadia Oskar Paloma Quentin Rosa Sanjay Tove Ugo Vera Wanjiru Ximena Yusuf Zara Adaeze
Björn Cécile Dário Émile Fátima Gül Hélène Inês József Karin Luís Mónica Nuño Órla Pål Renée
Søren Thérèse Zoë Agnieszka Bongani Chiara Dagny Esteban Francesca Grzegorz Hiroshi Ingrid
Jae-won Kalani Lucía Mehmet Nnamdi Olufemi Pilar Rafael Sigrún Tomás Ulla Valentina Wiktor
Yara Anders Beatriz Cyrus Delphine Eamon Fiona Gustavo Hallie Ilya Josefine Kwame Lorenzo
Marisol Niamh Orion Petra Rashid Saoirse Teodor Ursula Viktor Wren Yosef Zainab Aurelio""".split()

LAST_NAMES = """Chen Okafor Müller García Patel Kowalski Nakamura Dubois Haddad Johansson Silva
O'Brien Rossi Kim Novak Abebe Bergström Castillo Dimitriou Eriksen Fernández Gallagher Hossain
Ibáñez Jovanović Kapoor Lindgren Mahlangu Nwosu Oduya Petrović Quispe Rahman Sato Takahashi
Urquhart Varga Whitfield Xu Yilmaz Zielinski Achterberg Brennan Carvalho Delacroix Esposito
Fitzgerald Gonçalves Horvath Iwasaki Jaramillo Kristiansen Laurent MacLeod Nørgaard Olawale
Papadopoulos Quinlan Rasmussen Sørensen Tanaka Uchenna Vasquez Wojcik Yamamoto Zapata Andersson
Brodsky Cárdenas Doherty Eklund Fonseca Grünewald Hakimi Ivanova Jensen Kaur Lefèvre Mwangi
Nieminen Ortega Pereira Quaye Richter Santos Thorsen Umeh Valdés Weiss Yoon Zamora Asante
Baptiste Coulibaly Dalgaard Esterházy Ferreira Guerrero Holm Iyer Jiménez Kelleher Lund
Moreau Nakashima Obi Park Ramírez Schäfer Tremblay Ueda Villanueva Wright Adeyemi Bianchi""".split()

ROLES = ["Reporter", "Senior Reporter", "Correspondent", "Staff Writer", "Editor",
         "Columnist", "Data Reporter", "Investigations Editor", "Bureau Chief", "Photographer"]

# Words for the sentence grammar.
ADJECTIVES = """new long-awaited modest sweeping quiet contested early fragile steady costly
regional national local federal temporary permanent bold cautious unusual familiar sharp
gradual sudden narrow broad public private internal independent detailed rough final
preliminary seasonal annual record-breaking delayed revised overdue ambitious tentative
watched bitter uneasy remarkable routine aging crowded struggling growing""".split()

NOUNS = """plan deal proposal budget report contract agreement vote hearing review policy
program project market price forecast decision ruling investigation audit survey study
committee council board agency ministry coalition union company firm startup lender insurer
regulator court tribunal campaign district neighbourhood port terminal ferry line route
station bridge tunnel reservoir pipeline factory warehouse harbour airport hospital clinic
school campus library museum theatre festival stadium network platform service schedule
shortage surplus deficit increase decline recovery slowdown rebound expansion merger
lawsuit settlement appeal deadline timetable estimate draft framework pilot trial""".split()

PLURALS = """residents officials investors analysts economists voters lawmakers regulators
researchers doctors nurses teachers students workers commuters farmers tenants landlords
shareholders executives engineers scientists diplomats negotiators organisers volunteers
shopkeepers drivers pilots fishermen retirees parents critics supporters""".split()

VERBS = """approved rejected delayed announced questioned defended expanded reduced revised
reviewed challenged welcomed criticised published released proposed extended suspended
scrapped backed blocked cleared funded overturned postponed reopened completed launched
weighed signed drafted tested measured estimated tracked warned predicted confirmed""".split()

PREPOSITIONS = ["after", "before", "despite", "amid", "during", "following", "ahead of",
                "because of", "in response to", "alongside", "without", "under"]

OPENERS = ["On Tuesday,", "Last week,", "By the end of the year,", "For now,", "In the meantime,",
           "Still,", "Even so,", "According to the filing,", "In a statement,", "Privately,",
           "At the same time,", "Earlier this month,", "By most accounts,", "In practice,",
           "Over the summer,", "Since then,", "In an interview,", "Behind the scenes,"]

CONNECTORS = ["while", "although", "because", "and", "but", "even as", "so", "since", "as"]

SAID = ["said", "told reporters", "wrote in a memo", "said in an interview", "noted", "argued",
        "told the council", "said on Monday", "said last week", "acknowledged"]

HEAD_SUBJECTS = ["The port authority", "City council", "Regulators", "Investors", "The central bank",
                 "Union leaders", "Transit officials", "Lawmakers", "The school board", "Researchers",
                 "The health ministry", "Shipping firms", "Farmers", "Tenants", "Hospital managers",
                 "The mayor", "The governor", "Prosecutors", "Voters", "Scientists", "Airlines",
                 "Insurers", "Energy traders", "Museum trustees", "Ferry operators", "Landlords",
                 "A coalition of cities", "Exporters", "Judges", "Climate negotiators"]

SINGULAR_SUBJECTS = {"The port authority", "City council", "The central bank", "The school board",
                     "The health ministry", "The mayor", "The governor", "A coalition of cities"}

HEAD_VERBS = ["sign", "reject", "delay", "weigh", "back", "unveil", "cut", "double", "scrap",
              "pause", "expand", "probe", "defend", "revive", "settle", "rethink", "fast-track",
              "push back on", "bet on", "walk away from", "take aim at", "warn over", "split over",
              "brace for", "race to finish", "quietly shelve", "pour money into", "tighten rules on"]

HEAD_OBJECTS = ["the terminal deal", "a new ferry route", "the bond sale", "the budget plan",
                "the harbour expansion", "rent controls", "the transit overhaul", "a wage deal",
                "the merger", "the pipeline", "school closures", "the stadium project",
                "the water contract", "new zoning rules", "the night bus pilot", "a carbon levy",
                "the hospital merger", "the bridge repairs", "the data center plan", "flood defences",
                "the airport runway", "the tax rebate", "the housing fund", "the grid upgrade",
                "the library cuts", "emergency loans", "the festival budget", "the rail link",
                "the fishing quotas", "the trade pact", "the chip subsidy", "the drought plan"]

HEAD_TAILS = ["", "", "", "after months of talks", "as costs climb", "despite protests",
              "ahead of the vote", "in a surprise move", "under pressure", "for a second year",
              "as deadline nears", "after a court ruling", "amid a cash crunch", "at the last minute",
              "in a split decision", "as demand surges", "after a long delay", "once again"]

SUBHEADS = ["What happens next", "The numbers", "A long road", "Who pays", "The view from the street",
            "Behind the deal", "Winners and losers", "What critics say", "How we got here",
            "The fine print", "A question of timing", "Money on the table", "The politics",
            "Voices from the neighbourhood", "What the data shows", "An uncertain outlook",
            "The legal fight", "Lessons from elsewhere", "The bigger picture", "Open questions",
            "Costs and benefits", "Inside the negotiations", "The human cost", "Looking ahead"]

LINK_SENTENCES = ["Earlier this year, [we reported]({}) on a similar dispute.",
                  "The decision follows [our earlier coverage]({}) of the same fight.",
                  "([Read the background to the story]({}).)",
                  "That echoes what officials said when [the plan was first floated]({}).",
                  "As [previously reported]({}), the talks had stalled twice before.",
                  "Readers may recall [the first round of the dispute]({}).",
                  "It is not the first time: [a similar proposal]({}) collapsed last year."]

EXTERNAL_HOSTS = ["https://www.example.com/reports/", "https://data.example.org/tables/",
                  "https://archive.example.net/filings/", "https://www.example.org/press/"]

BIO_SENTENCES = ["{name} covers {beat} for The Bench Courier.",
                 "{name} writes about {beat} and has reported from {place}.",
                 "{name} joined the newsroom after years on the {beat} beat in {place}.",
                 "{name} edits coverage of {beat}.",
                 "Before joining, {name} worked at a regional paper in {place}."]
BIO_EXTRA = ["Tips are welcome by email.", "They are based in our City desk.",
             "Their work has won regional press awards.",
             "They studied economics and still keep the spreadsheets.",
             "They also host the weekly newsletter."]

# --------------------------------------------------------------------------

DAYS_START = dt.date(2018, 6, 1)
DAYS_END = dt.date(2026, 6, 1)  # exclusive; the last story is on 2026-05-31
SPAN_DAYS = (DAYS_END - DAYS_START).days

TAG_VOCAB = 4000
TAG_EXPONENT = 1.05
TAG_OFFSET = 2.0  # Zipf-Mandelbrot offset: the commonest tag ends up on ~10% of articles
SECTION_TAG_SHARE = 0.5  # half the tag draws use the section's own ranking
AUTHOR_EXPONENT = 0.8
PROFILE_SHARE = 0.6
POOL_SENTENCES = 24000

_TRANSLIT = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l",
                           "Ł": "L", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i",
                           "'": "", "’": ""})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_AT_LINK = re.compile(r"\(@/([^)#]+)\.md\)")


def slugify(text):
    """Lowercase ASCII words joined by '-' (accents dropped, apostrophes removed)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_ALNUM.sub("-", ascii_text).strip("-")


def hugo_urlize(text):
    """The path Hugo makes of a term with removePathAccents: combining accents go,
    other letters stay (so "Søren" stays "søren"), spaces become '-'."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for ch in decomposed:
        if unicodedata.category(ch) == "Mn":
            continue
        if ch == " ":
            kept.append("-")
        elif ch.isalnum() or ch in "-._~":
            kept.append(ch.lower())
    return unicodedata.normalize("NFC", "".join(kept))


def slug_key(text):
    """The strictest identity of a name: its slug without separators."""
    return slugify(text).replace("-", "")


def toml_str(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(values):
    return "[" + ", ".join(toml_str(v) for v in values) + "]"


def zipf_cum_weights(n, exponent, offset):
    return list(itertools.accumulate(1.0 / (rank + 1 + offset) ** exponent for rank in range(n)))


def third_person(verb_phrase):
    """'push back on' -> 'pushes back on'; 'quietly shelve' -> 'quietly shelves'."""
    words = verb_phrase.split(" ")
    at = 1 if words[0].endswith("ly") and len(words) > 1 else 0
    verb = words[at]
    words[at] = verb + ("es" if verb.endswith(("sh", "ch", "s", "x")) else "s")
    return " ".join(words)


def sentence_case(text):
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------
# Vocabulary built from the seed
# --------------------------------------------------------------------------

class Vocabulary:
    def __init__(self, rng, n_articles):
        self.rng = rng
        topics = [t.strip() for t in TOPICS if t.strip()]
        places = [p.strip() for p in PLACES if p.strip()]
        self.places = places
        self.topics = topics
        self._build_tags(topics, places)
        self._build_authors(max(8, round(n_articles / 40)))
        self._build_pool()

    # Tags: a few thousand names, ranked for a Zipf-Mandelbrot draw.
    def _build_tags(self, topics, places):
        rng = self.rng
        seen = set()
        head, tail = [], []

        def add(name, bucket):
            key = slug_key(name)
            if key and key not in seen:
                seen.add(key)
                bucket.append(name)

        companies = [f"{stem} {suffix}" for stem in COMPANY_STEMS for suffix in COMPANY_SUFFIXES]
        rng.shuffle(companies)
        self.companies = companies[:400]
        people = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(people)
        for name in topics:
            add(name, head)
        for name in places[:60]:
            add(name, head)
        for name in self.companies[:40]:
            add(name, head)
        for name in places[60:]:
            add(name, tail)
        for name in self.companies[40:]:
            add(name, tail)
        # Single-surname tags for people in the news ("Müller", "Sørensen").
        for name in LAST_NAMES[:40]:
            add(name, tail)
        for name in people[:900]:
            add(name, tail)
        while len(head) + len(tail) < TAG_VOCAB:
            kind = rng.random()
            if kind < 0.45:
                name = f"{rng.choice(places)} {rng.choice(topics)}"
            elif kind < 0.7:
                name = f"{rng.choice(topics)} policy" if rng.random() < 0.3 else \
                    f"{rng.choice(ADJECTIVES)} {rng.choice(topics)}"
            elif kind < 0.9:
                name = f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_SUFFIXES)}"
            else:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            add(name, tail)
        rng.shuffle(head)
        rng.shuffle(tail)
        self.tags = (head + tail)[:TAG_VOCAB]
        self.tag_cum = zipf_cum_weights(len(self.tags), TAG_EXPONENT, TAG_OFFSET)
        ranks = list(range(len(self.tags)))
        self.section_tag_order = []
        for _ in SECTIONS:
            order = ranks[:]
            rng.shuffle(order)
            self.section_tag_order.append(order)
        self.tag_ranks = ranks

    # Authors: unique by slug, Zipf-ish output, a home section each.
    def _build_authors(self, count):
        rng = self.rng
        seen = set()
        names = []
        attempts = 0
        while len(names) < count:
            attempts += 1
            first = rng.choice(FIRST_NAMES)
            last = rng.choice(LAST_NAMES)
            if attempts > 4 * count or rng.random() < 0.08:
                last = f"{last}-{rng.choice(LAST_NAMES)}"
            name = f"{first} {last}"
            key = slug_key(name)
            if key in seen:
                continue
            seen.add(key)
            names.append(name)
        self.authors = names
        self.author_cum = zipf_cum_weights(count, AUTHOR_EXPONENT, 3.0)
        self.author_ranks = list(range(count))
        self.profiles = []
        for name in names:
            if rng.random() < PROFILE_SHARE:
                role = rng.choice(ROLES)
                beat = rng.choice(self.topics)
                place = rng.choice(self.places)
                bio = rng.choice(BIO_SENTENCES).format(name=name, beat=beat, place=place)
                if rng.random() < 0.5:
                    bio += " " + rng.choice(BIO_EXTRA)
                self.profiles.append((name, role, bio))

    # Sentences: a seeded pool; article bodies are sampled from it.
    def _build_pool(self):
        rng = self.rng
        pool, plain, counts = [], [], []
        for _ in range(POOL_SENTENCES):
            text, has_markup = self._sentence(rng)
            pool.append(text)
            counts.append(text.count(" ") + 1)
            if not has_markup:
                plain.append(text)
        self.pool = pool
        self.pool_words = counts
        self.pool_index = range(len(pool))
        self.plain = plain
        self.fragments = [self._fragment(rng) for _ in range(2000)]
        self.quotes = [self._quote(rng) for _ in range(3000)]

    def _noun_phrase(self, rng):
        """A noun phrase in running-text case (proper nouns capitalised)."""
        r = rng.random()
        if r < 0.45:
            return f"the {rng.choice(NOUNS)}"
        if r < 0.7:
            return f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        if r < 0.85:
            return f"{rng.choice(PLURALS)} in {rng.choice(self.places)}"
        if r < 0.93:
            return rng.choice(self.companies)
        adjective = rng.choice(ADJECTIVES)
        article = "an" if adjective[0] in "aeiou" else "a"
        return f"{article} {adjective} {rng.choice(NOUNS)} on {rng.choice(self.topics)}"

    def _clause(self, rng):
        """A clause in running-text case; sentence_case() it to start a sentence."""
        subject = rng.choice(PLURALS) if rng.random() < 0.25 else self._noun_phrase(rng)
        clause = f"{subject} {rng.choice(VERBS)} {self._noun_phrase(rng)}"
        if rng.random() < 0.55:
            clause += f" {rng.choice(PREPOSITIONS)} {self._noun_phrase(rng)}"
        return clause

    def _sentence(self, rng):
        r = rng.random()
        clause = self._clause(rng)
        if r < 0.25:
            clause = f"{rng.choice(OPENERS)} {clause}"
        else:
            clause = sentence_case(clause)
        if rng.random() < 0.45:
            clause += f", {rng.choice(CONNECTORS)} {self._clause(rng)}"
        if rng.random() < 0.15:
            n = rng.randint(2, 980)
            unit = rng.choice(["percent", "million dollars", "billion dollars", "jobs", "homes",
                               "days", "kilometres", "tonnes", "seats", "families"])
            clause += f", a figure of about {n} {unit}"
        sentence = clause + "."
        has_markup = False
        m = rng.random()
        if m < 0.03:
            words = sentence.split(" ")
            at = rng.randrange(1, len(words))
            words[at] = f"*{words[at].rstrip('.,')}*" + ("." if words[at].endswith(".") else "")
            sentence = " ".join(words)
            has_markup = True
        elif m < 0.05:
            words = sentence.split(" ")
            at = rng.randrange(0, max(1, len(words) - 3))
            words[at] = "**" + words[at]
            words[at + 1] = words[at + 1].rstrip(".,") + "**" + \
                ("," if words[at + 1].endswith(",") else "")
            sentence = " ".join(words)
            has_markup = True
        elif m < 0.065:
            host = rng.choice(EXTERNAL_HOSTS)
            sentence += f" The [full document]({host}{rng.randint(1000, 99999)}) runs to {rng.randint(12, 400)} pages."
            has_markup = True
        elif m < 0.07:
            sentence += f" The dataset's field is named `{rng.choice(NOUNS)}_{rng.choice(NOUNS)}`."
            has_markup = True
        return sentence, has_markup

    def _fragment(self, rng):
        return sentence_case(f"{rng.choice(VERBS)} {self._noun_phrase(rng)} "
                             f"{rng.choice(PREPOSITIONS)} {self._noun_phrase(rng)}")

    def _quote(self, rng):
        clause = sentence_case(self._clause(rng))
        who = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.7:
            job = rng.choice(["spokesperson", "researcher", "director", "member", "analyst"])
            role = f"a {job} for {self._noun_phrase(rng)}"
        else:
            role = f"who lives in {rng.choice(self.places)}"
        return f'> "{clause}," {rng.choice(SAID)} {who}, {role}.'


# --------------------------------------------------------------------------
# Dates: spread evenly over eight years, written in America/New_York time.
# --------------------------------------------------------------------------

def _nth_sunday(year, month, n):
    first = dt.date(year, month, 1)
    return 1 + (6 - first.weekday()) % 7 + 7 * (n - 1)


def build_day_table():
    """(YYYY-MM-DD, year, UTC offset) for every day, using the US rules since 2007
    (summer time from the second Sunday of March to the first Sunday of November;
    stories are only published between 06:00 and 23:59, never in the changeover hour)."""
    table = []
    for i in range(SPAN_DAYS):
        d = DAYS_START + dt.timedelta(days=i)
        start = _nth_sunday(d.year, 3, 2)
        end = _nth_sunday(d.year, 11, 1)
        summer = (3, start) <= (d.month, d.day) < (11, end)
        table.append((d.isoformat(), d.year, "-04:00" if summer else "-05:00"))
    return table


HOUR_CUM = list(itertools.accumulate([2, 4, 7, 9, 9, 8, 7, 8, 8, 7, 7, 6, 5, 4, 3, 2, 2, 1]))  # 06..23


def code_block(rng, vocab):
    if rng.random() < 0.55:
        name = f"{rng.choice(NOUNS)}_{rng.choice(['share', 'total', 'rate', 'gap', 'index'])}"
        nums = ", ".join(str(rng.randint(10, 9999)) for _ in range(rng.randint(3, 6)))
        return (f"```python\ndef {name}(values, weight={rng.randint(2, 40) / 100}):\n"
                f'    """Weighted {name.replace("_", " ")} of the reported figures."""\n'
                f"    total = sum(v * weight for v in values)\n"
                f"    return round(total / max(len(values), 1), 2)\n\n"
                f"figures = [{nums}]\n"
                f'print(f"{{{name}(figures):.2f}}")\n```')
    items = ", ".join(f'"{rng.choice(NOUNS)}"' for _ in range(rng.randint(2, 4)))
    return ("```json\n{\n"
            f'  "agency": "{rng.choice(vocab.companies)}",\n'
            f'  "year": {rng.randint(2015, 2026)},\n'
            f'  "budget_millions": {rng.randint(5, 9000) / 10},\n'
            f'  "approved": {"true" if rng.random() < 0.5 else "false"},\n'
            f'  "items": [{items}]\n'
            "}\n```")


def table_block(rng):
    first_year = rng.randint(2016, 2022)
    value = rng.randint(80, 900)
    rows = ["| Year | Budget ($m) | Change |", "|---|---:|---:|"]
    for year in range(first_year, first_year + rng.randint(3, 5)):
        change = rng.randint(-90, 140) / 10
        value = max(1, round(value * (1 + change / 100)))
        rows.append(f"| {year} | {value:,} | {change:+.1f}% |")
    return "\n".join(rows)


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

class Writer:
    def __init__(self, out):
        self.out = out
        self.bytes = 0
        self.made = set()

    def write(self, rel, text):
        path = os.path.join(self.out, rel)
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        data = text.encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.bytes += len(data)


SITE_TITLE = "The Bench Courier"
SITE_DESCRIPTION = "A synthetic newsroom for benchmarking static site generators."
BASE_URL = "https://bench.example.org/"


def write_dateline_skeleton(w, vocab):
    w.write("site.toml",
            f"title = {toml_str(SITE_TITLE)}\n"
            f"description = {toml_str(SITE_DESCRIPTION)}\n"
            f'base_url = "{BASE_URL}"\n'
            'language = "en"\n'
            'timezone = "America/New_York"\n'
            "paginate_by = 10\n")
    for slug, title, description, _ in SECTIONS:
        w.write(f"content/{slug}/_index.md",
                f"+++\ntitle = {toml_str(title)}\ndescription = {toml_str(description)}\n+++\n")
    for name, role, bio in vocab.profiles:
        w.write(f"content/_authors/{slugify(name)}.md",
                f"+++\nname = {toml_str(name)}\nrole = {toml_str(role)}\n+++\n{bio}\n")


HUGO_CONFIG = """baseURL = "{base_url}"
title = {title}
timeZone = "America/New_York"
removePathAccents = true
enableRobotsTXT = true
disableHugoGeneratorInject = true
summaryLength = 40
titleCaseStyle = "none"

[params]
  description = {description}

[taxonomies]
  tag = "tags"
  author = "authors"

[pagination]
  pagerSize = 10
  disableAliases = true

[outputs]
  home = ["html", "rss"]
  section = ["html", "rss"]
  taxonomy = ["html", "rss"]
  term = ["html", "rss"]
  page = ["html"]

[services.rss]
  limit = 50

[sitemap]
  changeFreq = "daily"
  filename = "sitemap.xml"

[markup.highlight]
  noClasses = false

[related]
  includeNewer = true
  threshold = 80
  toLower = true

  [[related.indices]]
    name = "tags"
    weight = 100

  [[related.indices]]
    name = "date"
    weight = 10
    pattern = "2006"
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ with .Description }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .Permalink }}">{{ end }}
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
</head>
<body>
<header class="masthead">
<a class="brand" href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}<a href="{{ "tags/" | relURL }}">Tags</a> <a href="{{ "authors/" | relURL }}">Authors</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ site.Title }}: {{ site.Params.description }}</p></footer>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
<article class="story">
<p class="kicker"><a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a></p>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p class="dek">{{ . }}</p>{{ end }}
<p class="byline">By {{ range $i, $a := .GetTerms "authors" }}{{ if $i }} and {{ end }}<a href="{{ $a.RelPermalink }}">{{ $a.LinkTitle }}</a>{{ end }}
· <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "January 2, 2006 3:04 PM MST" }}</time>
· {{ .ReadingTime }} min read</p>
<div class="body">
{{ .Content }}
</div>
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with first 4 (site.RegularPages.Related .) }}
<aside class="related">
<h2>Related Stories</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></li>{{ end }}</ul>
</aside>
{{ end }}
</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Content }}<div class="profile">{{ . }}</div>{{ end }}
{{ $pages := .Pages }}
{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ else if eq .Kind "section" }}{{ $pages = .RegularPagesRecursive }}{{ end }}
{{ $pager := .Paginate $pages }}
{{ range $pager.Pages }}
<article class="card">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
· {{ range $i, $a := .GetTerms "authors" }}{{ if $i }}, {{ end }}{{ $a.LinkTitle }}{{ end }}</p>
<p class="dek">{{ with .Params.summary }}{{ . }}{{ else }}{{ .Summary | plainify }}{{ end }}</p>
</article>
{{ end }}
{{ if gt $pager.TotalPages 1 }}
<nav class="pagination">
{{ with $pager.Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
<span>Page {{ $pager.PageNumber }} of {{ $pager.TotalPages }}</span>
{{ with $pager.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
</nav>
{{ end }}
{{ end }}
"""

HUGO_TERMS = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms">
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
{{ end }}
</ul>
{{ end }}
"""


def write_hugo_skeleton(w, vocab):
    w.write("hugo.toml", HUGO_CONFIG.format(base_url=BASE_URL, title=toml_str(SITE_TITLE),
                                            description=toml_str(SITE_DESCRIPTION)))
    w.write("layouts/_default/baseof.html", HUGO_BASEOF)
    w.write("layouts/_default/single.html", HUGO_SINGLE)
    w.write("layouts/_default/list.html", HUGO_LIST)
    w.write("layouts/_default/terms.html", HUGO_TERMS)
    for slug, title, description, _ in SECTIONS:
        w.write(f"content/{slug}/_index.md",
                f"+++\ntitle = {toml_str(title)}\ndescription = {toml_str(description)}\n+++\n")
    for name, role, bio in vocab.profiles:
        w.write(f"content/authors/{hugo_urlize(name)}/_index.md",
                f"+++\ntitle = {toml_str(name)}\n[params]\n  role = {toml_str(role)}\n+++\n{bio}\n")


# --------------------------------------------------------------------------
# The stories
# --------------------------------------------------------------------------

def generate(out, n_articles, seed, flavor):
    started = time.monotonic()
    rng = random.Random(seed)
    vocab = Vocabulary(rng, n_articles)
    days = build_day_table()
    w = Writer(out)
    if flavor == "dateline":
        write_dateline_skeleton(w, vocab)
    else:
        write_hugo_skeleton(w, vocab)

    section_cum = list(itertools.accumulate(s[3] for s in SECTIONS))
    section_idx = range(len(SECTIONS))
    section_slugs = [s[0] for s in SECTIONS]
    used_slugs = [set() for _ in SECTIONS]
    # Stories already written, for links back: slug objects are shared with used_slugs.
    done_slug = []
    done_section = array.array("B")
    done_year = array.array("H")
    tag_count = [0] * len(vocab.tags)
    author_used = bytearray(len(vocab.authors))
    tags, tag_cum, tag_ranks, sec_orders = vocab.tags, vocab.tag_cum, vocab.tag_ranks, vocab.section_tag_order
    authors, author_cum, author_ranks = vocab.authors, vocab.author_cum, vocab.author_ranks
    pool, pool_words, pool_index, plain = vocab.pool, vocab.pool_words, vocab.pool_index, vocab.plain
    choices, rand, randrange, choice = rng.choices, rng.random, rng.randrange, rng.choice
    hours = range(6, 24)
    avg_words = max(1, round(sum(pool_words) / len(pool_words)))
    hugo = flavor == "hugo"
    progress = n_articles >= 200000 and sys.stderr.isatty()

    for i in range(n_articles):
        # When, where, who.
        day = min(SPAN_DAYS - 1, int((i + rand()) * SPAN_DAYS / n_articles))
        date_text, year, offset = days[day]
        hour = choices(hours, cum_weights=HOUR_CUM)[0]
        minute = randrange(60)
        date = f"{date_text}T{hour:02d}:{minute:02d}:00{offset}"
        sec = choices(section_idx, cum_weights=section_cum)[0]
        if rand() < 0.22:
            picks = choices(author_ranks, cum_weights=author_cum, k=2)
            if picks[0] == picks[1]:
                picks = picks[:1]
        else:
            picks = choices(author_ranks, cum_weights=author_cum)
        for a in picks:
            author_used[a] = 1
        byline = [authors[a] for a in picks]

        # Tags: 2 to 6 distinct, half from the site-wide ranking, half from the section's.
        want = 2 + int(rand() * 5)
        order = sec_orders[sec]
        picked = []
        while len(picked) < want:
            for r in choices(tag_ranks, cum_weights=tag_cum, k=want - len(picked)):
                t = r if rand() < SECTION_TAG_SHARE else order[r]
                if t not in picked and len(picked) < want:
                    picked.append(t)
        for t in picked:
            tag_count[t] += 1
        story_tags = [tags[t] for t in picked]

        # Headline and slug.
        r = rand()
        subject = choice(HEAD_SUBJECTS)
        verb = choice(HEAD_VERBS)
        if subject in SINGULAR_SUBJECTS:
            verb = third_person(verb)
        if r < 0.55:
            title = f"{subject} {verb} {choice(HEAD_OBJECTS)}"
        elif r < 0.8:
            title = f"{subject} {verb} {story_tags[0]} plans"
        else:
            lead = subject if subject.startswith("City") else subject[0].lower() + subject[1:]
            title = f"In {choice(vocab.places)}, {lead} {verb} {choice(HEAD_OBJECTS)}"
        tail = choice(HEAD_TAILS)
        if tail:
            title = f"{title} {tail}"
        title = sentence_case(title)
        if rand() < 0.12:
            title = f"{title}: {choice(SUBHEADS).lower()}"
        base = "-".join(slugify(title).split("-")[:9])
        slug = base
        n = 1
        while slug in used_slugs[sec]:
            n += 1
            slug = f"{base}-{n}"
        used_slugs[sec].add(slug)

        summary = None
        if rand() < 0.5:
            summary = choice(plain)
            if rand() < 0.4:
                summary = f"{summary} {choice(plain)}"

        # Body: paragraphs from the sentence pool up to a word budget, with subheads
        # and the occasional list, quote, table, code block and internal link.
        budget = min(2850, max(400, int(rng.lognormvariate(7.09, 0.42))))
        blocks = []
        words = 0
        until_head = 3 + int(rand() * 4)
        extras = []
        if rand() < 0.3:
            extras.append("list")
        if rand() < 0.45:
            extras.append("quote")
        if rand() < 0.12:
            extras.append("table")
        if rand() < 0.08:
            extras.append("code")
        links = 0
        if done_slug and rand() < 0.35:
            links = 1 + int(rand() * rand() * 3)
        paragraphs = 0
        # Draw the article's sentences in one go (more if the estimate falls short).
        drawn = choices(pool_index, k=budget // avg_words + 8)
        pos = 0
        while words < budget:
            k = 2 + int(rand() * 5)
            if pos + k > len(drawn):
                drawn += choices(pool_index, k=k + 16)
            picks_ix = drawn[pos:pos + k]
            pos += k
            text = " ".join([pool[j] for j in picks_ix])
            words += sum([pool_words[j] for j in picks_ix])
            if links and rand() < 0.2:
                links -= 1
                count = len(done_slug)
                j = count - 1 - randrange(min(count, 2000)) if rand() < 0.7 else randrange(count)
                target = f"@/{section_slugs[done_section[j]]}/{done_year[j]}/{done_slug[j]}.md"
                text = f"{text} {choice(LINK_SENTENCES).format(target)}"
            blocks.append(text)
            paragraphs += 1
            if paragraphs == until_head and words < budget - 150:
                blocks.append(f"## {choice(SUBHEADS)}")
                until_head += 4 + int(rand() * 4)
            elif extras and paragraphs > 1 and rand() < 0.18:
                kind = extras.pop()
                if kind == "list":
                    blocks.append("\n".join(f"- {f}" for f in choices(vocab.fragments, k=3 + int(rand() * 3))))
                elif kind == "quote":
                    blocks.append(choice(vocab.quotes))
                elif kind == "table":
                    blocks.append(table_block(rng))
                else:
                    blocks.append(code_block(rng, vocab))

        head = [f"+++\ntitle = {toml_str(title)}\ndate = {date}\n"
                f"authors = {toml_list(byline)}\ntags = {toml_list(story_tags)}\n"]
        if summary is not None:
            head.append(f"summary = {toml_str(summary)}\n")
        head.append("+++\n\n")
        body = "\n\n".join(blocks)
        if hugo:
            body = _AT_LINK.sub(r"(/\1/)", body)
        w.write(f"content/{section_slugs[sec]}/{year}/{slug}.md", "".join(head) + body + "\n")

        done_slug.append(slug)
        done_section.append(sec)
        done_year.append(year)
        if progress and (i + 1) % 100000 == 0:
            print(f"  {i + 1} articles, {time.monotonic() - started:.0f} s", file=sys.stderr)

    elapsed = time.monotonic() - started
    used_tags = sum(1 for c in tag_count if c)
    top = max(tag_count) if tag_count else 0
    print(f"corpus: {n_articles} articles, {len(SECTIONS)} sections, {used_tags} tags "
          f"(commonest on {100 * top / max(n_articles, 1):.1f}%), "
          f"{sum(author_used)} authors ({len(vocab.profiles)} profiles), "
          f"{w.bytes / 1e6:.1f} MB written, {elapsed:.1f} s "
          f"[flavor {flavor}, seed {seed}] -> {out}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Write a deterministic synthetic news corpus for benchmarks.")
    parser.add_argument("out", metavar="OUT", help="output folder (must be empty or absent)")
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--flavor", choices=["dateline", "hugo"], default="dateline")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    if os.path.exists(args.out) and (not os.path.isdir(args.out) or os.listdir(args.out)):
        parser.error(f"{args.out} exists and is not an empty folder")
    generate(args.out, args.articles, args.seed, args.flavor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
