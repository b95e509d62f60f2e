package dev.herald.topology.channels;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.MustacheParseException;
import com.samskivert.mustache.Template;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Strict Mustache rendering of campaign templates, with a bounded cache of compiled templates. */
public final class Templates {

    /*
     * Strict: no default or null value, so a variable the context lacks (or holds as null) fails
     * the render instead of silently sending "Hello ,". Sections stay lenient on purpose: a missing
     * value is false there, which is how a template guards an optional attribute
     * ({{#firstName}}Hi {{firstName}}{{/firstName}}).
     *
     * The reflection-free collector keeps templates to the maps and strings of the context: with
     * the default one, {{firstName.class.classLoader}} would walk into the JVM.
     *
     * Partials would need a loader; there is none, and the failure must be a MustacheException so
     * it is reported as a template error like any other.
     */
    private static final Mustache.Compiler HTML = Mustache.compiler()
            .withCollector(new BasicCollector() {
                @Override
                public <K, V> Map<K, V> createFetcherCache() {
                    // Compiled templates are shared between threads.
                    return new ConcurrentHashMap<>();
                }
            })
            .withLoader(name -> {
                throw new MustacheException("partials are not supported: {{> " + name + "}}");
            });

    // Subject, text and push content are plain text: HTML-escaping them would show "&amp;" to people.
    private static final Mustache.Compiler PLAIN = HTML.escapeHTML(false);

    private final int maxCached;
    private final Map<Key, Compiled> cache;

    /** @param maxCached compiled templates kept (least recently used evicted first); 0 disables caching */
    public Templates(int maxCached) {
        if (maxCached < 0) {
            throw new IllegalArgumentException("maxCached must be >= 0: " + maxCached);
        }
        this.maxCached = maxCached;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Compiled> eldest) {
                return size() > Templates.this.maxCached;
            }
        };
    }

    /**
     * Renders a Mustache template with a context, without HTML escaping (plain-text content).
     * The context is read as maps, lists and their values only: fields and methods of other
     * objects are not visible to templates.
     *
     * @throws TemplateException on a syntax error or a missing variable
     */
    public String render(String template, Object context) {
        return execute(compiled(template, false), context);
    }

    /**
     * Renders a Mustache template with a context, HTML-escaping {@code {{x}}} (but not {@code {{{x}}}}).
     *
     * @throws TemplateException on a syntax error or a missing variable
     */
    public String renderHtml(String template, Object context) {
        return execute(compiled(template, true), context);
    }

    /** Compiled templates currently cached; for tests. */
    int cachedCount() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Compiled compiled(String template, boolean html) {
        Objects.requireNonNull(template, "template");
        Key key = new Key(template, html);
        synchronized (cache) {
            Compiled hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        // Compiled outside the lock: two threads may both compile a new template, which is harmless.
        Compiled compiled = compile(template, html);
        if (maxCached > 0) {
            synchronized (cache) {
                cache.put(key, compiled);
            }
        }
        return compiled;
    }

    private static Compiled compile(String template, boolean html) {
        try {
            Template compiled = (html ? HTML : PLAIN).compile(template);
            rejectUnclosedTags(template, compiled);
            return new Compiled(compiled, null);
        } catch (MustacheException e) {
            // Cached too: a broken campaign template would otherwise be re-parsed for every recipient.
            return new Compiled(null, e);
        }
    }

    /**
     * JMustache keeps an unterminated tag ("Hi {{firstName") as literal text, which would send the
     * braces to people. With the standard delimiters "{{" cannot otherwise survive into text, so
     * finding it there means a tag was never closed. Templates that change delimiters are not checked.
     */
    private static void rejectUnclosedTags(String source, Template compiled) {
        if (source.contains("{{=")) {
            return;
        }
        compiled.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {
                if (text.contains("{{")) {
                    throw new MustacheParseException("unclosed tag near '" + excerpt(text) + "'");
                }
            }

            @Override
            public void visitVariable(String name) {
            }

            @Override
            public boolean visitInclude(String name) {
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                return true;
            }
        });
    }

    private static String excerpt(String text) {
        int at = text.indexOf("{{");
        return text.substring(at, Math.min(text.length(), at + 40));
    }

    private static String execute(Compiled compiled, Object context) {
        if (compiled.error() != null) {
            throw new TemplateException("template does not compile: " + compiled.error().getMessage(),
                    compiled.error());
        }
        try {
            return compiled.template().execute(context);
        } catch (MustacheException e) {
            throw new TemplateException("template does not render: " + e.getMessage(), e);
        }
    }

    private record Key(String template, boolean html) {
    }

    private record Compiled(Template template, MustacheException error) {
    }
}
