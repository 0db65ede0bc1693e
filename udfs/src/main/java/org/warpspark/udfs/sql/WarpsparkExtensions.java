package org.warpspark.udfs.sql;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.ScalaUDF;
import java.io.Serializable;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.immutable.Seq;
import scala.runtime.BoxedUnit;

/**
 * Adds {@link WarpsparkFunctions} to every session built with
 * {@code spark.sql.extensions=org.warpspark.udfs.sql.WarpsparkExtensions}, so that {@code spark-sql} and
 * Thrift server users have them without code. Each call becomes Spark's own {@code ScalaUDF}
 * expression around the function's core.
 */
public final class WarpsparkExtensions implements Function1<SparkSessionExtensions, BoxedUnit> {
  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    for (SqlFunction f : WarpsparkFunctions.ALL) {
      Function1<Seq<Expression>, Expression> builder = children -> {
        if (children.size() != f.arity()) {
          throw new IllegalArgumentException(f.name() + " takes " + f.arity() + " arguments, got " + children.size()
              + ": " + f.usage());
        }
        return new ScalaUDF(scalaFunction(f), f.resultType(), children, emptySeq(), Option.empty(),
            Option.apply(f.name()), true, true);
      };
      extensions.injectFunction(new Tuple3<>(FunctionIdentifier.apply(f.name()),
          new ExpressionInfo(WarpsparkFunctions.class.getName(), null, f.name(), f.usage(), ""), builder));
    }
    return BoxedUnit.UNIT;
  }

  /**
   * The Scala function of the function's arity that ScalaUDF calls with the converted arguments;
   * serializable, since it travels to the executors inside the plan.
   */
  private static Object scalaFunction(SqlFunction f) {
    return switch (f.arity()) {
      case 1 -> (scala.Function1<Object, Object> & Serializable) f::call;
      case 2 -> (scala.Function2<Object, Object, Object> & Serializable) f::call;
      case 3 -> (scala.Function3<Object, Object, Object, Object> & Serializable) f::call;
      case 9 -> (scala.Function9<Object, Object, Object, Object, Object, Object, Object, Object, Object, Object>
          & Serializable) f::call;
      case 10 -> (scala.Function10<Object, Object, Object, Object, Object, Object, Object, Object, Object, Object,
          Object> & Serializable) f::call;
      default -> throw new IllegalStateException(f.name() + ": no Scala function for arity " + f.arity());
    };
  }

  @SuppressWarnings("unchecked")
  private static <T> Seq<T> emptySeq() {
    return (Seq<T>) scala.collection.immutable.Nil$.MODULE$;
  }
}
