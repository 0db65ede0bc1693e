package org.warpspark.udfs.sql;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;

/**
 * One SQL function: its name, what {@code DESCRIBE FUNCTION} shows, its result type, and a pure core
 * that takes Spark's external values (arrays as Scala sequences, structs as rows) and returns null
 * when any argument is null.
 */
public record SqlFunction(String name, String usage, DataType resultType, int arity, int required, Core core)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A function whose every argument is required. */
  public SqlFunction(String name, String usage, DataType resultType, int arity, Core core) {
    this(name, usage, resultType, arity, arity, core);
  }

  /** The function itself, on non-null arguments. */
  @FunctionalInterface
  public interface Core extends Serializable {
    Object apply(Object[] args);
  }

  /** Null for a null required argument (the first {@code required}); otherwise the core. */
  public Object call(Object... args) {
    if (args.length != arity) {
      throw new IllegalArgumentException(name + " takes " + arity + " arguments, got " + args.length);
    }
    for (int i = 0; i < required; i++) {
      if (args[i] == null) {
        return null;
      }
    }
    return core.apply(args);
  }
}
