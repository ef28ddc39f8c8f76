using System.Runtime.InteropServices;
using System.Text;

namespace MarketMaking.Cli;

/// <summary>
/// Text writers on the process's standard output and error that write straight to the file descriptors. On Unix,
/// Console.Out and Console.Error (and every Console stream's first write) initialise the terminal first: the
/// terminfo database is read and parsed, 10-20 ms of a run whose own start-up is about 35 ms. The tool never needs
/// the terminal's capabilities (the scenarios progress bar, which does, still goes through Console).
/// </summary>
internal static partial class StandardStreams
{
    /// <summary>
    /// A UTF-8 writer on descriptor 1 or 2, flushed at every write as Console's are; null off Linux, or where glibc's
    /// write(2) is not there to call (a musl system running the portable package): then Console's serve.
    /// </summary>
    public static TextWriter? Writer(int descriptor)
    {
        if (!OperatingSystem.IsLinux() || !DescriptorStream.Available(descriptor)) return null;
        return new StreamWriter(new DescriptorStream(descriptor), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }

    /// <summary>
    /// Writes with write(2) at the descriptor's own offset, as Console does: a FileStream would keep an offset of its
    /// own and overwrite the other stream's text when both are redirected to one file (`&gt; log 2&gt;&amp;1`).
    /// </summary>
    private sealed partial class DescriptorStream(int descriptor) : Stream
    {
        private const int Interrupted = 4; // EINTR
        private const int WouldBlock = 11; // EAGAIN
        private const int BrokenPipe = 32; // EPIPE

        /// <summary>Whether write(2) can be called: a write of nothing binds it (and fails harmlessly on a closed descriptor).</summary>
        public static unsafe bool Available(int descriptor)
        {
            try
            {
                _ = SystemWrite(descriptor, null, 0);
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override unsafe void Write(ReadOnlySpan<byte> buffer)
        {
            fixed (byte* start = buffer)
            {
                var at = start;
                var left = buffer.Length;
                while (left > 0)
                {
                    var written = (int)SystemWrite(descriptor, at, (nuint)left);
                    if (written >= 0)
                    {
                        at += written;
                        left -= written;
                        continue;
                    }
                    var error = Marshal.GetLastPInvokeError();
                    if (error == Interrupted) continue;
                    if (error == WouldBlock)
                    {
                        Thread.Sleep(1);
                        continue;
                    }
                    // The reader went away (`| head`): drop the rest quietly, as Console does.
                    if (error == BrokenPipe) return;
                    throw new IOException($"cannot write to standard {(descriptor == 1 ? "output" : "error")}: {Marshal.GetPInvokeErrorMessage(error)}");
                }
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
        private static unsafe partial nint SystemWrite(int descriptor, byte* buffer, nuint count);
    }
}
