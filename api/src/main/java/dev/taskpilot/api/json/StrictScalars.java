package dev.taskpilot.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.context.annotation.Primary;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.config.annotation.SerdeConfig;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.CollectionItemReferencePath;
import io.micronaut.serde.exceptions.path.MapItemReferencePath;
import io.micronaut.serde.exceptions.path.PropertyReferencePath;
import io.micronaut.serde.exceptions.path.ReferencePath;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON scalars without type coercion: a string field takes only a JSON string (not {@code 5}, not
 * {@code ["a"]}), a whole-number field only a whole JSON number ({@code 5.5} and {@code "5"} are
 * refused, not truncated or parsed), a boolean field only {@code true} or {@code false}, a decimal
 * field only a JSON number. Micronaut Serialization coerces all of these by default; these
 * deserializers (and one for lists of strings) take the place of its own ({@code @Primary}) for
 * every body the server reads, and a refusal is a 400 {@code VALIDATION_FAILED} naming the field.
 */
public final class StrictScalars {
  private StrictScalars() {}

  /** What a decoded value is, in JSON's words, for the error message. */
  static String describe(Object value) {
    return switch (value) {
      case null -> "null";
      case String ignored -> "a string";
      case Boolean ignored -> "a boolean";
      case Integer ignored -> "a whole number";
      case Long ignored -> "a whole number";
      case BigInteger ignored -> "a whole number";
      case Number ignored -> "a decimal number";
      case List<?> ignored -> "an array";
      case Map<?, ?> ignored -> "an object";
      default -> "a " + value.getClass().getSimpleName();
    };
  }

  static IOException refused(Argument<?> type, String expected, Object value) {
    return new WrongJsonType(type, "expected " + expected + " but got " + describe(value));
  }

  /**
   * A value of the wrong JSON type; {@link #describe()} names where it was (a JSON path such as
   * {@code notify[0].events[1]}) and says what was expected and what came.
   */
  public static final class WrongJsonType extends SerdeException {
    private final String property;
    private final String item;

    WrongJsonType(Argument<?> type, String message) {
      this(type, "", message);
    }

    WrongJsonType(Argument<?> type, String item, String message) {
      super(message);
      this.property = jsonName(type);
      this.item = item;
    }

    /** Where the value was: its JSON path (serde lists it innermost first), or the property. */
    public String location() {
      StringBuilder path = new StringBuilder();
      for (ReferencePath part : getPath().reversed()) {
        switch (part) {
          case PropertyReferencePath property ->
              path.append(path.isEmpty() ? "" : ".").append(jsonName(property.property()));
          case CollectionItemReferencePath element ->
              path.append('[').append(element.index()).append(']');
          case MapItemReferencePath entry ->
              path.append(path.isEmpty() ? "" : ".").append(entry.key());
          default -> {}
        }
      }
      if (path.isEmpty() && property.matches("[a-z][A-Za-z0-9]*")) {
        path.append(property);
      }
      return path.isEmpty() ? "" : path + item;
    }

    /** "{@code location}: message", or the message alone. */
    public String describe() {
      String location = location();
      return location.isEmpty() ? getMessage() : location + ": " + getMessage();
    }

    /** The name a property has in JSON ({@code @JsonProperty}), else its Java name. */
    private static String jsonName(Argument<?> argument) {
      if (argument == null) {
        return "";
      }
      return argument
          .getAnnotationMetadata()
          .stringValue(SerdeConfig.class, SerdeConfig.PROPERTY)
          .or(() -> argument.getAnnotationMetadata().stringValue(JsonProperty.class))
          .orElse(argument.getName() == null ? "" : argument.getName());
    }
  }

  /** Strings: a JSON string only. */
  @Singleton
  @Primary
  public static final class Strings implements Deserializer<String> {
    @Override
    public String deserialize(
        Decoder decoder, DecoderContext context, Argument<? super String> type) throws IOException {
      Object value = decoder.decodeArbitrary();
      if (value instanceof String text) {
        return text;
      }
      throw refused(type, "a string", value);
    }
  }

  /**
   * Lists of strings: a JSON array of strings only. Micronaut Serialization reads these with a
   * deserializer of its own, which neither asks {@link Strings} nor refuses numbers or arrays.
   */
  @Singleton
  @Primary
  public static final class StringLists implements Deserializer<List<String>> {
    @Override
    public List<String> deserialize(
        Decoder decoder, DecoderContext context, Argument<? super List<String>> type)
        throws IOException {
      Object value = decoder.decodeArbitrary();
      if (!(value instanceof List<?> items)) {
        throw refused(type, "an array of strings", value);
      }
      List<String> strings = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof String text)) {
          throw new WrongJsonType(
              type, "[" + i + "]", "expected a string but got " + describe(items.get(i)));
        }
        strings.add(text);
      }
      return strings;
    }
  }

  /** Integers: a whole JSON number within range only. */
  @Singleton
  @Primary
  public static final class Integers implements Deserializer<Integer> {
    @Override
    public Integer deserialize(
        Decoder decoder, DecoderContext context, Argument<? super Integer> type)
        throws IOException {
      Object value = decoder.decodeArbitrary();
      if (value instanceof Integer number) {
        return number;
      }
      if (value instanceof Long || value instanceof BigInteger) {
        throw new WrongJsonType(
            type,
            "expected a whole number between "
                + Integer.MIN_VALUE
                + " and "
                + Integer.MAX_VALUE
                + " but got "
                + value);
      }
      throw refused(type, "a whole number", value);
    }
  }

  /** Longs: a whole JSON number within range only. */
  @Singleton
  @Primary
  public static final class Longs implements Deserializer<Long> {
    @Override
    public Long deserialize(Decoder decoder, DecoderContext context, Argument<? super Long> type)
        throws IOException {
      Object value = decoder.decodeArbitrary();
      if (value instanceof Integer || value instanceof Long) {
        return ((Number) value).longValue();
      }
      throw refused(type, "a whole number within the range of 64 bits", value);
    }
  }

  /** Booleans: {@code true} or {@code false} only. */
  @Singleton
  @Primary
  public static final class Booleans implements Deserializer<Boolean> {
    @Override
    public Boolean deserialize(
        Decoder decoder, DecoderContext context, Argument<? super Boolean> type)
        throws IOException {
      Object value = decoder.decodeArbitrary();
      if (value instanceof Boolean flag) {
        return flag;
      }
      throw refused(type, "true or false", value);
    }
  }

  /** Decimals: a JSON number only. */
  @Singleton
  @Primary
  public static final class Decimals implements Deserializer<BigDecimal> {
    @Override
    public BigDecimal deserialize(
        Decoder decoder, DecoderContext context, Argument<? super BigDecimal> type)
        throws IOException {
      Object value = decoder.decodeArbitrary();
      return switch (value) {
        case BigDecimal decimal -> decimal;
        case BigInteger whole -> new BigDecimal(whole);
        case Integer whole -> BigDecimal.valueOf(whole);
        case Long whole -> BigDecimal.valueOf(whole);
        case Double fraction when Double.isFinite(fraction) -> new BigDecimal(fraction.toString());
        case Float fraction when Float.isFinite(fraction) -> new BigDecimal(fraction.toString());
        default -> throw refused(type, "a number", value);
      };
    }
  }
}
