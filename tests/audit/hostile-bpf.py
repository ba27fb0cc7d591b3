# A 4095-instruction filter: every syscall reads args and tests a
# different mask each, the worst case for the vector builder.
import struct, sys
ins = []
def op(code, jt, jf, k): ins.append(struct.pack('<HBBI', code, jt, jf, k & 0xffffffff))
LD_ABS_W, JSET, JEQ, RET = 0x20, 0x45, 0x15, 0x06
op(LD_ABS_W, 0, 0, 4)                 # arch
op(JEQ, 1, 0, 0xc000003e)             # x86_64
op(RET, 0, 0, 0x80000000)
n = (4095 - 4) // 3
for i in range(n):
    op(LD_ABS_W, 0, 0, 16 + 8 * (i % 6) + 4 * (i // 6 % 2))
    op(JSET, 0, 1, (i * 2654435761) & 0xffffffff | 1)
    op(RET, 0, 0, 0x00050000 | (i % 4095))
op(RET, 0, 0, 0x7fff0000)
sys.stdout.buffer.write(b''.join(ins))
