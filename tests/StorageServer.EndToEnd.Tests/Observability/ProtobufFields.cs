namespace StorageServer.EndToEnd.Tests.Observability;

/// <summary>
/// Reads the fields of one protobuf message (the wire format, no schema): enough to walk an OTLP
/// export request by field numbers, since no OTLP protobuf package restores here.
/// </summary>
internal static class ProtobufFields
{
    /// <summary>One field: its number, and its bytes (length-delimited) or its integer value (varint, fixed).</summary>
    public readonly record struct Field(int Number, ReadOnlyMemory<byte> Bytes, ulong Value)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes.Span);
    }

    public static List<Field> Read(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message.Span, ref position);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    fields.Add(new Field(number, ReadOnlyMemory<byte>.Empty, Varint(message.Span, ref position)));
                    break;
                case 1:
                    fields.Add(new Field(number, message.Slice(position, 8), BitConverter.ToUInt64(message.Span.Slice(position, 8))));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref position);
                    fields.Add(new Field(number, message.Slice(position, length), 0));
                    position += length;
                    break;
                case 5:
                    fields.Add(new Field(number, message.Slice(position, 4), BitConverter.ToUInt32(message.Span.Slice(position, 4))));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7} at byte {position}");
            }
        }
        return fields;
    }

    public static IEnumerable<Field> All(this List<Field> fields, int number) => fields.Where(f => f.Number == number);

    public static Field? One(this List<Field> fields, int number) => fields.LastOrDefault(f => f.Number == number) is { Number: > 0 } f ? f : null;

    private static ulong Varint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = span[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
