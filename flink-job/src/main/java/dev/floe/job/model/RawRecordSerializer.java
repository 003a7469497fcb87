package dev.floe.job.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * {@link RawRecord} on the wire: topic, partition, offset, timestamp, the two id halves, then the
 * value as length (-1 for a tombstone) and bytes. Every record crosses the keyBy once, so this
 * replaces the POJO serializer's per-field reflection and null flags with plain writes.
 */
public final class RawRecordSerializer extends TypeSerializerSingleton<RawRecord> {
  public static final RawRecordSerializer INSTANCE = new RawRecordSerializer();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public RawRecord createInstance() {
    return new RawRecord();
  }

  @Override
  public RawRecord copy(RawRecord from) {
    RawRecord to = new RawRecord(from.topic, from.partition, from.offset, from.timestamp, null);
    to.value = from.value == null ? null : from.value.clone();
    to.idHi = from.idHi;
    to.idLo = from.idLo;
    return to;
  }

  @Override
  public RawRecord copy(RawRecord from, RawRecord reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RawRecord r, DataOutputView out) throws IOException {
    StringValue.writeString(r.topic, out);
    out.writeInt(r.partition);
    out.writeLong(r.offset);
    out.writeLong(r.timestamp);
    out.writeLong(r.idHi);
    out.writeLong(r.idLo);
    if (r.value == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(r.value.length);
      out.write(r.value);
    }
  }

  @Override
  public RawRecord deserialize(DataInputView in) throws IOException {
    return deserialize(new RawRecord(), in);
  }

  @Override
  public RawRecord deserialize(RawRecord r, DataInputView in) throws IOException {
    r.topic = StringValue.readString(in);
    r.partition = in.readInt();
    r.offset = in.readLong();
    r.timestamp = in.readLong();
    r.idHi = in.readLong();
    r.idLo = in.readLong();
    int length = in.readInt();
    if (length < 0) {
      r.value = null;
    } else {
      r.value = new byte[length];
      in.readFully(r.value);
    }
    return r;
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<RawRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Serializer snapshot: the layout has no parameters. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RawRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** Makes {@code TypeInformation.of(RawRecord.class)} use this serializer. */
  public static final class TypeInfoFactory
      extends org.apache.flink.api.common.typeinfo.TypeInfoFactory<RawRecord> {
    @Override
    public TypeInformation<RawRecord> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new Info();
    }
  }

  /** Type information of {@link RawRecord}: a single opaque field, never a key type. */
  public static final class Info extends TypeInformation<RawRecord> {
    @Override
    public boolean isBasicType() {
      return false;
    }

    @Override
    public boolean isTupleType() {
      return false;
    }

    @Override
    public int getArity() {
      return 1;
    }

    @Override
    public int getTotalFields() {
      return 1;
    }

    @Override
    public Class<RawRecord> getTypeClass() {
      return RawRecord.class;
    }

    @Override
    public boolean isKeyType() {
      return false;
    }

    @Override
    public TypeSerializer<RawRecord> createSerializer(SerializerConfig config) {
      return INSTANCE;
    }

    @Override
    public String toString() {
      return "RawRecord";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Info;
    }

    @Override
    public int hashCode() {
      return Info.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
      return o instanceof Info;
    }
  }
}
