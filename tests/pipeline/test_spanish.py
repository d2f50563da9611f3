"""Comments in Spanish: the language is found, the policy's Spanish rules judge them with spans on the characters as
written, innocent senses publish, and a comment in both languages is judged by both."""
from __future__ import annotations

from pathlib import Path

import pytest

from moderation.pipeline import moderate
from moderation.pipeline.types import ModerationContext
from moderation.policy import PolicyError, load_policy
from tests.pipeline.conftest import edit

POLICY = load_policy()
ARTICLE = ModerationContext(article_title="Cuba y Estados Unidos retoman las conversaciones migratorias")


def judged(text: str):
    return moderate(text, ARTICLE, POLICY)


def acted(verdict) -> dict[str, tuple[str, list[str]]]:
    return {f.category: (f.action, [span.text for span in f.result.spans]) for f in verdict.findings if f.action != "none"}


@pytest.mark.parametrize("text, category, words", [
    ("Tú eres un pendejo y además un hijo de puta.", "profanity", ["hijo de puta"]),
    ("Eres un pendejo, nadie te toma en serio.", "personal_attack", ["pendejo"]),
    ("Cállate ya, idiota.", "personal_attack", ["idiota"]),
    ("Cállate, imbécil.", "personal_attack", ["imbécil"]),
    ("Estos funcionarios son unos comemierdas.", "profanity", ["comemierdas"]),
    ("Los maricones no deberían vivir en este barrio.", "hate_speech", ["maricones"]),
    ("Los inmigrantes son una plaga para este país.", "hate_speech", ["inmigrantes son una plaga"]),
    ("Que se vayan a su país todos esos refugiados.", "hate_speech", ["Que se vayan a su país"]),
    ("Usted es un imbécil y un mentiroso.", "personal_attack", ["imbécil"]),
    ("Sos un boludo bárbaro.", "personal_attack", ["boludo"]),
])
def test_spanish_attacks_are_held_or_rejected_with_their_words(text, category, words):
    verdict = judged(text)
    assert "es" in verdict.languages
    assert verdict.outcome in ("review", "reject")
    action, spans = acted(verdict)[category]
    assert all(word in spans for word in words), spans
    for finding in verdict.findings:
        for span in finding.result.spans:
            assert text[span.start:span.end] == span.text


@pytest.mark.parametrize("text", [
    "El mercado negro de divisas en Santiago de Cuba sigue creciendo.",
    "Mi abuela llegó en balsa en 1994 y nunca volvió a ver a su hermano.",
    "Voy a coger el autobús para llegar temprano a la reunión del consulado.",
    "La concha de la playa de Varadero estaba llena de turistas.",
    "Concha Pérez y Rafael Pija presentaron su libro sobre el exilio.",
    "Esa chica es muy pija, siempre va vestida de marca.",
    "Los negociadores cubanos no lograron ningún acuerdo en las conversaciones.",
    "Llevaba una camisa negra y un pantalón negro a la ceremonia.",
    "El año pasado llegaron menos balseros que el anterior, según la Guardia Costera.",
    "Ojalá que las conversaciones sirvan para reunificar a las familias separadas.",
])
def test_innocent_spanish_publishes(text):
    verdict = judged(text)
    assert verdict.outcome == "publish", acted(verdict)
    assert verdict.languages[0] == "es"


@pytest.mark.parametrize("text, word", [
    ("Qué hdp es ese ministro", "hdp"),
    ("ptm, otra vez lo mismo con estos políticos", "ptm"),
    ("Eres una put@ mentirosa", "put@"),
    ("Este gobierno es una mrd y todos lo saben", "mrd"),
    ("Qué pendejoooo eres, de verdad", "pendejoooo"),
    ("ERES UN PENDEJO", "PENDEJO"),
    ("Cabrón, ya cállate", "Cabrón"),
    ("Cabron, ya callate", "Cabron"),
])
def test_evasions_accents_and_stretched_vowels_are_read_with_spans_as_written(text, word):
    verdict = judged(text)
    assert verdict.outcome in ("review", "reject")
    spans = [span.text for finding in verdict.findings for span in finding.result.spans]
    assert any(word in span or span in word for span in spans), spans


@pytest.mark.parametrize("text, languages", [
    ("The negotiators in Havana wasted another week without a single agreement on visas.", ("en",)),
    ("Los negociadores en La Habana perdieron otra semana sin ningún acuerdo sobre visas.", ("es",)),
    ("I agree with the reporter. Pero el gobierno cubano nunca va a cambiar nada de lo que dice.", ("es", "en")),
])
def test_the_language_of_a_comment_is_detected(text, languages):
    assert judged(text).languages == languages


def test_a_comment_in_both_languages_is_judged_by_both_rules():
    text = "That man is a total idiot, y ese tipo es un pendejo que no sabe nada."
    verdict = judged(text)
    assert set(verdict.languages) == {"en", "es"}
    spans = acted(verdict)["personal_attack"][1]
    assert "pendejo" in " ".join(spans)


def test_a_language_the_policy_does_not_cover_is_judged_by_its_own_rules():
    verdict = judged("Le gouvernement a annoncé de nouvelles mesures pour les familles hier soir.")
    assert verdict.languages == ("fr",)
    assert verdict.outcome == "publish"


def test_the_spanish_policy_is_a_marked_translation_with_every_rule():
    spanish = POLICY.in_language("es")
    assert spanish.translation and "abstenga de groserías" in spanish.paragraph
    assert [rule.id for rule in spanish.rules] == [rule.id for rule in POLICY.rules]
    assert spanish.rule("profanity").title == "Groserías"
    assert POLICY.in_language("de") is POLICY.in_language("en")
    assert POLICY.in_language("en").translation is None


@pytest.mark.parametrize("old, new, where", [
    ('[languages.es.rules.off_topic]\ntitle', '[languages.es.rules.other]\ntitle', "languages.es.rules"),
    ('mild = "es/profanity-mild.txt"', 'mild = "es/no-such-list.txt"', "rule 'languages.es.rules.profanity': field 'lexicons.mild'"),
    ('title = "Groserías"', 'title = ""', "rule 'languages.es.rules.profanity': field 'title'"),
    ('negations = ["no", "nunca", "jamas", "ni", "tampoco"]', 'negations = ["no", 3]',
     "rule 'languages.es.rules.hate_speech': field 'params.negations'"),
    ('function_words = "es/function-words.txt"', 'function_words = "es/none.txt"', "languages.es.function_words"),
    ('translation = "Traducción', 'untranslated = "Traducción', "field 'languages.es.translation'"),
])
def test_a_broken_language_table_is_refused_naming_the_file_and_the_entry(policy_copy, old, new, where):
    with pytest.raises(PolicyError) as refused:
        load_policy(edit(policy_copy, old, new))
    assert str(refused.value).startswith(str(policy_copy)) and where in str(refused.value)


def test_spanish_word_lists_are_read_without_their_accents(policy_copy):
    spanish = load_policy(policy_copy).in_language("es")
    assert "maricon" in spanish.rule("hate_speech").lexicons["slurs_strong"]
    assert "cono" in spanish.rule("profanity").lexicons["mild"]


CLEAN_COMMENTS = [line for line in (Path(__file__).parent / "fixtures" / "clean-spanish-comments.txt")
                  .read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
SEED = ModerationContext(article_title="US-Cuba migration talks to be held Wednesday in Havana",
                         article_text="U.S. and Cuban government officials will meet in Havana on Wednesday for the "
                                      "second round of migration talks.")


@pytest.mark.parametrize("text", CLEAN_COMMENTS)
def test_clean_spanish_comments_on_the_story_publish(text):
    verdict = moderate(text, SEED, POLICY)
    assert verdict.outcome == "publish", acted(verdict)
    assert "es" in verdict.languages


@pytest.mark.parametrize("text, languages", [
    ("I think the talks in Havana should go on, and the families will be glad of it.", ("en",)),
    ("O governo anunciou ontem novas medidas para os migrantes que chegam ao país.", ("pt",)),
    ("Le gouvernement a annoncé de nouvelles mesures pour les familles hier soir.", ("fr",)),
    ("Cállate, idiota.", ("es", "en")),
    ("The talks, @maria https://example.org/x", ("en", "es")),
])
def test_the_detector_names_the_languages_most_likely_first(text, languages):
    assert POLICY.detector.detect(text) == languages
