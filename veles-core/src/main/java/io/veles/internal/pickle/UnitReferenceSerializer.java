package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.veles.workflow.Unit;

/** Writes a reference to a unit as its number in the {@link UnitTable}; see there for why. */
final class UnitReferenceSerializer extends Serializer<Unit> {
    private final PickleContext context;

    UnitReferenceSerializer(PickleContext context) {
        this.context = context;
    }

    @Override
    public void write(Kryo kryo, Output output, Unit unit) {
        output.writeVarInt(context.units().numberOf(unit), true);
    }

    @Override
    public Unit read(Kryo kryo, Input input, Class<? extends Unit> type) {
        return context.units().resolve(input.readVarInt(true), type, context::instantiate);
    }
}
