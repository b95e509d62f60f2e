package dev.herald.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.avro.Channel;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushToken;
import dev.herald.avro.Recipient;
import dev.herald.topology.campaigns.CampaignFileException;
import dev.herald.topology.campaigns.CampaignFiles;
import dev.herald.topology.recipients.RecipientValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads recipient files line by line: CSV with a header row, or JSON lines (one Recipient object per line, the Avro
 * schema's field names, read by the same rules as campaign files: {@link CampaignFiles#readRecord}). Every
 * recipient is checked by the topology's {@link RecipientValidator}, so a line that reads is one Herald accepts. A
 * bad line is a {@link LineException} with its reason; the next line does not depend on it.
 *
 * <p>CSV columns are the schema's fields: {@code id} (required), {@code email}, {@code locale}, {@code timeZone};
 * {@code segments} and {@code optOuts} as lists separated by {@code ;}; {@code pushTokens} as
 * {@code PLATFORM:token} separated by {@code ;}; and {@code attributes.NAME} for each attribute. Empty cells are
 * left out. Cells may be quoted ({@code "a, b"}, {@code ""} for a quote).
 */
final class RecipientLines {
    private static final ObjectReader JSON = JsonMapper.builder().build().reader();
    private static final Set<String> PLAIN = Set.of("id", "email", "locale", "timeZone");
    private static final Set<String> LISTS = Set.of("segments", "optOuts");
    private static final String TOKENS = "pushTokens";
    private static final String ATTRIBUTE = "attributes.";

    /** The two notations. */
    enum Format {
        csv, jsonl;

        /** By extension ({@code .csv}; {@code .jsonl}, {@code .ndjson}, {@code .json}), else by the first line. */
        static Format of(Path file, String firstLine) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return csv;
            }
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
                return jsonl;
            }
            return firstLine != null && firstLine.stripLeading().startsWith("{") ? jsonl : csv;
        }
    }

    /** A line that cannot be imported, and why. */
    static final class LineException extends Exception {
        private static final long serialVersionUID = 1L;

        LineException(String reason) {
            super(reason, null, false, false);
        }
    }

    private final Format format;
    /** CSV only: what each column holds. */
    private final List<String> columns;

    private RecipientLines(Format format, List<String> columns) {
        this.format = format;
        this.columns = columns;
    }

    static RecipientLines jsonLines() {
        return new RecipientLines(Format.jsonl, List.of());
    }

    /**
     * A CSV reader for this header row.
     *
     * @throws LineException when a column is not a recipient field (the whole file is refused: every line would be
     *                       read wrongly)
     */
    static RecipientLines csv(String header) throws LineException {
        List<String> columns = split(header.startsWith("\uFEFF") ? header.substring(1) : header).stream()
                .map(String::trim).toList();
        if (!columns.contains("id")) {
            throw new LineException("the header row has no id column (columns: " + columns + ")");
        }
        for (String column : columns) {
            boolean known = PLAIN.contains(column) || LISTS.contains(column) || column.equals(TOKENS)
                    || (column.startsWith(ATTRIBUTE) && column.length() > ATTRIBUTE.length());
            if (!known) {
                throw new LineException("column '" + column + "' is not a recipient field (use id, email, locale, "
                        + "timeZone, segments, optOuts, pushTokens or attributes.NAME)");
            }
        }
        if (columns.stream().distinct().count() != columns.size()) {
            throw new LineException("the header row names a column twice: " + columns);
        }
        return new RecipientLines(Format.csv, columns);
    }

    Format format() {
        return format;
    }

    /** One line as a recipient, validated as the topology validates it (keyed by its id). */
    Recipient parse(String line) throws LineException {
        Recipient recipient = format == Format.jsonl ? fromJson(line) : fromCsv(line);
        if (recipient.getId().isBlank()) {
            throw new LineException("id: must not be blank");
        }
        Optional<String> problem = RecipientValidator.check(recipient.getId(), recipient);
        if (problem.isPresent()) {
            throw new LineException(problem.get());
        }
        return recipient;
    }

    private static Recipient fromJson(String line) throws LineException {
        JsonNode tree;
        try {
            tree = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new LineException("is not JSON (column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage() + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new LineException("is not a JSON object");
        }
        try {
            return CampaignFiles.readRecord(tree, Recipient.class, "recipient");
        } catch (CampaignFileException e) {
            throw new LineException(e.field() == null ? e.problem() : e.field() + ": " + e.problem());
        }
    }

    /**
     * Cells straight into a Recipient: a million-line import spends its time here, so no JSON tree in between. The
     * cells are text, so the only conversions are the lists and the enum symbols, checked with the schema's names.
     */
    private Recipient fromCsv(String line) throws LineException {
        List<String> cells = split(line);
        if (cells.size() != columns.size()) {
            throw new LineException("has " + cells.size() + " cells; the header has " + columns.size());
        }
        Recipient r = new Recipient();
        r.setPushTokens(new ArrayList<>(1));
        r.setAttributes(new HashMap<>());
        r.setSegments(new ArrayList<>(2));
        r.setOptOuts(new ArrayList<>(0));
        for (int i = 0; i < cells.size(); i++) {
            String column = columns.get(i);
            String cell = cells.get(i);
            if (cell.isEmpty()) {
                continue;
            }
            switch (column) {
                case "id" -> r.setId(cell);
                case "email" -> r.setEmail(cell);
                case "locale" -> r.setLocale(cell);
                case "timeZone" -> r.setTimeZone(cell);
                case "segments" -> {
                    for (String item : cell.split(";")) {
                        if (!item.isBlank()) {
                            r.getSegments().add(item.trim());
                        }
                    }
                }
                case "optOuts" -> {
                    List<String> items = List.of(cell.split(";"));
                    for (int j = 0; j < items.size(); j++) {
                        if (!items.get(j).isBlank()) {
                            r.getOptOuts().add(symbol(Channel.class, items.get(j).trim(), "optOuts[" + j + "]"));
                        }
                    }
                }
                case TOKENS -> {
                    List<String> items = List.of(cell.split(";"));
                    for (int j = 0; j < items.size(); j++) {
                        String item = items.get(j);
                        if (item.isBlank()) {
                            continue;
                        }
                        int colon = item.indexOf(':');
                        if (colon <= 0) {
                            throw new LineException("pushTokens[" + j + "]: '" + item + "' is not PLATFORM:token");
                        }
                        r.getPushTokens().add(new PushToken(symbol(PushPlatform.class,
                                item.substring(0, colon).trim(), "pushTokens[" + j + "].platform"),
                                item.substring(colon + 1).trim()));
                    }
                }
                default -> r.getAttributes().put(column.substring(ATTRIBUTE.length()), cell);
            }
        }
        if (r.getId() == null) {
            throw new LineException("id: is required");
        }
        return r;
    }

    /** An enum symbol as the schema spells it, or the same message campaign files give for a wrong one. */
    private static <E extends Enum<E>> E symbol(Class<E> type, String value, String field) throws LineException {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            List<String> symbols = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
            String upper = value.toUpperCase(Locale.ROOT);
            String hint = symbols.contains(upper) ? "; symbols are upper case: " + upper : "";
            throw new LineException(field + ": '" + value + "' is not one of " + String.join(", ", symbols) + hint);
        }
    }

    /** RFC 4180 cells of one line: commas separate, double quotes quote, two double quotes are one. */
    static List<String> split(String line) throws LineException {
        // Sized up front: growing them line after line was a fifth of a million-line import's parsing.
        List<String> cells = new ArrayList<>(16);
        StringBuilder cell = new StringBuilder(line.length());
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c == '"' && cell.length() == 0) {
                quoted = true;
            } else if (c != '\r' || i != line.length() - 1) {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new LineException("has an unclosed quote (a cell cannot span lines)");
        }
        cells.add(cell.toString());
        return cells;
    }
}
