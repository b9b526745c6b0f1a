package dev.northwind.lakehouse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration of the lakehouse (order events on Kafka, the Delta log, the dashboard
 * document, the bench report), and the YAML reader of config files. Thread-safe: Jackson mappers
 * may be shared once configured, so tasks on executors and server threads use the same one.
 */
public final class Json {

  /**
   * Exact and strict. Money is exact both ways: decimals are read as BigDecimal (never through a
   * double) and written in plain notation (12.5, not 1.25E+1). Text that is not exactly one JSON
   * value with distinct keys is rejected: an event with trailing text or a repeated key is bad
   * input, not something to guess about.
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  /**
   * Config files: Jackson's defaults, as config values are read as text ({@code asText()}), where
   * the JSON settings above would change how a number prints.
   */
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private Json() {}

  /** Parses one JSON value. */
  public static JsonNode tree(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** A value (a record, map, list or node) as compact JSON text. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value as compact JSON, UTF-8 encoded. */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value as indented JSON text, for files people read. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a YAML document; null for an empty one. */
  public static JsonNode yaml(Reader in) throws IOException {
    return YAML.readTree(in);
  }
}
