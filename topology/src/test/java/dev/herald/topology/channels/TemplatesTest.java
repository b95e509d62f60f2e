package dev.herald.topology.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private final Templates templates = new Templates(8);

    @Test
    void rendersTopLevelAndNestedValues() {
        Map<String, Object> context = Map.of("firstName", "Ada", "campaign", Map.of("name", "Spring sale"));

        assertThat(templates.render("{{firstName}} - {{campaign.name}}", context)).isEqualTo("Ada - Spring sale");
    }

    @Test
    void missingVariableIsAnErrorNotAnEmptyString() {
        assertThatThrownBy(() -> templates.render("Hi {{firstName}}", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("firstName");
    }

    @Test
    void missingNestedVariableIsAnError() {
        assertThatThrownBy(() -> templates.render("{{campaign.owner}}", Map.of("campaign", Map.of("name", "x"))))
                .isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> templates.render("{{campaign.name}}", Map.of()))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void nullValueIsAnError() {
        Map<String, Object> context = new HashMap<>();
        context.put("firstName", null);

        assertThatThrownBy(() -> templates.render("{{firstName}}", context)).isInstanceOf(TemplateException.class);
    }

    @Test
    void missingVariableInHtmlIsAnError() {
        assertThatThrownBy(() -> templates.renderHtml("<p>{{firstName}}</p>", Map.of()))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void syntaxErrorIsAnError() {
        assertThatThrownBy(() -> templates.render("{{#open}}never closed", Map.of("open", "x")))
                .isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> templates.render("{{/closedNeverOpened}}", Map.of()))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void unclosedTagIsAnErrorNotLiteralText() {
        // JMustache alone would render these as the literal text.
        assertThatThrownBy(() -> templates.render("Hi {{firstName", Map.of("firstName", "Ada")))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unclosed tag");
        assertThatThrownBy(() -> templates.render("Hi {{first {{firstName}}", Map.of("firstName", "Ada")))
                .isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> templates.render("{{#a}}Hi {{firstName{{/a}}", Map.of("a", "x")))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void changedDelimitersAllowLiteralBraces() {
        assertThat(templates.render("{{=<% %>=}}{{<%x%>}}", Map.of("x", "v"))).isEqualTo("{{v}}");
    }

    @Test
    void valuesContainingBracesAreRenderedAsIs() {
        assertThat(templates.render("{{x}}", Map.of("x", "{{y}}"))).isEqualTo("{{y}}");
    }

    @Test
    void syntaxErrorIsReportedAgainWhenServedFromTheCache() {
        assertThatThrownBy(() -> templates.render("{{/x}}", Map.of())).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> templates.render("{{/x}}", Map.of())).isInstanceOf(TemplateException.class);
    }

    @Test
    void partialsAreAnError() {
        assertThatThrownBy(() -> templates.render("{{> footer}}", Map.of())).isInstanceOf(TemplateException.class);
    }

    @Test
    void valuesExposeNoJavaMethods() {
        assertThatThrownBy(() -> templates.render("{{firstName.class}}", Map.of("firstName", "Ada")))
                .isInstanceOf(TemplateException.class);
    }

    @Test
    void sectionOnAMissingValueIsFalseSoTemplatesCanGuardOptionalAttributes() {
        String template = "Hello{{#firstName}} {{firstName}}{{/firstName}}{{^firstName}} there{{/firstName}}!";

        assertThat(templates.render(template, Map.of("firstName", "Ada"))).isEqualTo("Hello Ada!");
        assertThat(templates.render(template, Map.of())).isEqualTo("Hello there!");
    }

    @Test
    void plainTextIsNotHtmlEscaped() {
        assertThat(templates.render("{{x}}", Map.of("x", "<b>Tom & \"Jerry\"</b>"))).isEqualTo("<b>Tom & \"Jerry\"</b>");
    }

    @Test
    void htmlEscapesDoubleMustacheButNotTripleMustache() {
        assertThat(templates.renderHtml("{{x}}|{{{x}}}", Map.of("x", "<b>Tom & Jerry</b>")))
                .isEqualTo("&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;|<b>Tom & Jerry</b>");
    }

    @Test
    void sameTemplateTextRendersPlainAndHtmlSeparately() {
        Map<String, Object> context = Map.of("x", "a&b");

        assertThat(templates.renderHtml("{{x}}", context)).isEqualTo("a&amp;b");
        assertThat(templates.render("{{x}}", context)).isEqualTo("a&b");
    }

    @Test
    void cacheKeepsAtMostMaxCachedTemplates() {
        Templates small = new Templates(2);
        for (int i = 0; i < 5; i++) {
            small.render("{{x}} #" + i, Map.of("x", "v"));
        }

        assertThat(small.cachedCount()).isEqualTo(2);
    }

    @Test
    void zeroMaxCachedRendersWithoutCaching() {
        Templates none = new Templates(0);

        assertThat(none.render("{{x}}", Map.of("x", "v"))).isEqualTo("v");
        assertThat(none.cachedCount()).isZero();
    }

    @Test
    void negativeMaxCachedIsRejected() {
        assertThatThrownBy(() -> new Templates(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneInstanceCanBeSharedBetweenThreads() throws Exception {
        // A cache smaller than the set of templates keeps evicting while threads render.
        Templates shared = new Templates(3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int n = i % 7;
                        String expected = "v" + i + " #" + n;
                        if (!shared.render("{{x}} #" + n, Map.of("x", "v" + i)).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> future : futures) {
                assertThat(future.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(shared.cachedCount()).isLessThanOrEqualTo(3);
    }
}
