package io.veles.internal.pickle;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.veles.workflow.Bool;

/**
 * Writes and restores a {@link Bool} as {@link BoolLayout} says (format 4). Cells are tracked
 * like other objects, so a cell two gates share, or an expression holds, stays one cell.
 */
final class BoolSerializer extends Serializer<Bool> {
    private final PickleContext context;

    BoolSerializer(PickleContext context) {
        super(false, false);
        this.context = context;
    }

    @Override
    public void write(Kryo kryo, Output output, Bool cell) {
        int operands = BoolLayout.writeHead(output, cell);
        if (operands > 0) {
            kryo.writeObjectOrNull(output, BoolLayout.operand(BoolLayout.LEFT, cell), this);
        }
        if (operands > 1) {
            kryo.writeObjectOrNull(output, BoolLayout.operand(BoolLayout.RIGHT, cell), this);
        }
    }

    @Override
    public Bool read(Kryo kryo, Input input, Class<? extends Bool> type) {
        int head = BoolLayout.readHead(input);
        Bool cell = (Bool) context.instantiate(Bool.class);
        kryo.reference(cell); // before the operands, as every object with fields
        int operands = BoolLayout.operands(head);
        try {
            if (operands > 0) {
                BoolLayout.LEFT.setObject(cell, operand(kryo, input));
            }
            if (operands > 1) {
                BoolLayout.RIGHT.setObject(cell, operand(kryo, input));
            }
            BoolLayout.VALUE.setBoolean(cell, BoolLayout.value(head));
            BoolLayout.OP.setObject(cell, BoolLayout.op(head)); // last: a cell without one is still being read
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot restore a Bool", e);
        }
        return cell;
    }

    private Bool operand(Kryo kryo, Input input) {
        return BoolLayout.checkedOperand(
                kryo.readObjectOrNull(input, Bool.class, this),
                Bool.class,
                read -> BoolLayout.operand(BoolLayout.OP, read) != null);
    }
}
