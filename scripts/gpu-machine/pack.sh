#!/usr/bin/env bash
# Packs what a GPU machine with CUDA PyTorch but no Java, Maven or network needs to run warpspark's
# DJL stack on its GPU (docs/GPU.md, "Checking DJL on a CUDA device"), into .gpucheck/:
#   jre/       a jlink'd Java 17 runtime
#   djl/       DJL's PyTorch JNI sources (from a DJL checkout at the tag of our DJL version) and the
#              generated JNI header, to build against the machine's libtorch (build-djl-jni.sh)
#   jars/      the bench module without Spark: our classes, DJL, Hadoop's client jars, picocli, logging
#   spark/X/   Spark's jars and the application jar (without the CPU natives), in parts of at most
#              60 MB, for transfers limited in size
# Usage: scripts/gpu-machine/pack.sh DJL_CHECKOUT   (git clone https://github.com/deepjavalibrary/djl;
#        git -C djl checkout v0.35.0)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../env.sh"
djl="$(realpath "${1:?usage: $0 DJL_CHECKOUT}")"
warpspark_build
out="$WARPSPARK_HOME/.gpucheck"
rm -rf "$out"/{jre,djl,jars,spark} && mkdir -p "$out"/{djl/include,jars}
classpath() { tr ':' '\n' < "$WARPSPARK_CLASSPATH_FILE" | grep -E -- "$1"; }

jlink --add-modules java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.incubator.vector,jdk.management,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/jre" 2>/dev/null

native="engines/pytorch/pytorch-native/src/main/native"
cp -r "$djl/$native" "$out/djl/native" && cp -r "$djl/api/src/main/native/djl" "$out/djl/include/"
cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")/include" "$out/djl/jdk-include"
engine="$djl/engines/pytorch/pytorch-engine/src/main/java"
javac -nowarn -cp "$(classpath '/api-[0-9.]+\.jar|slf4j-api|gson' | paste -sd:)" -sourcepath "$engine" \
  "$engine/ai/djl/pytorch/jni/PyTorchLibrary.java" -h "$out/djl/include" -d "$(mktemp -d)"

classpath 'slf4j-api|log4j-(api|core|slf4j2-impl)-|hadoop-client-(api|runtime)|gson-|/api-[0-9.]+\.jar|pytorch-engine|jna-[0-9]|picocli' \
  | xargs -I{} cp {} "$out/jars/"
(cd "$WARPSPARK_HOME/spark-job/target/classes" && jar cf "$out/jars/warpspark-spark-job.jar" .)
(cd "$WARPSPARK_HOME/udfs/target/classes" && jar cf "$out/jars/warpspark-udfs.jar" .)
(cd "$WARPSPARK_HOME/bench/target/classes" && jar cf "$out/jars/warpspark-bench.jar" .)
(cd "$WARPSPARK_HOME/spark-job/target/test-classes" && jar cf "$out/jars/warpspark-testing.jar" org/warpspark/testing)

app="$(mktemp -d)/warpspark.jar"
cp "$WARPSPARK_JAR" "$app" && zip -q -d "$app" 'pytorch/*' 'jnilib/*'
# Parts of at most 60 MB, largest jars first; rocksdb (Spark's history store) is not needed.
part=0 size=0 limit=60000000
for jar in $( (tr ':' '\n' < "$WARPSPARK_SPARK_CLASSPATH_FILE" | grep -v rocksdbjni; echo "$app") \
    | xargs ls -S); do
  bytes=$(stat -c %s "$jar")
  if (( size + bytes > limit )); then part=$((part + 1)) size=0; fi
  mkdir -p "$out/spark/$part" && cp "$jar" "$out/spark/$part/" && size=$((size + bytes))
done
du -sh "$out"/{jre,djl,jars} "$out"/spark/*
