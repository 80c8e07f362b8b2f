using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Holdfast.Dns.Transport;

/// <summary>
/// The Linux UDP path: <c>recvmmsg</c> takes up to <see cref="BatchSize"/> queued datagrams in one system call
/// and <c>sendmmsg</c> sends their answers in one, as Knot does; under load the per-datagram system call
/// cost, not the answer, is what limits a server. Buffers are native memory allocated once per thread.
/// Anything unexpected from the kernel falls back to the portable one-datagram loop.
/// </summary>
public sealed partial class DnsServer
{
    private const int BatchSize = 32;
    private const int BatchRequestBytes = 4096;  // larger datagrams arrive truncated (MSG_TRUNC) and are dropped
    private const int BatchResponseBytes = 4096; // UDP answers are at most 1232 octets (RFC 6891 §6.2.5 default)
    private const int SockaddrBytes = 128;       // sizeof(struct sockaddr_storage)
    private const int MsgWaitForOne = 0x10000;   // MSG_WAITFORONE: return once at least one datagram is in
    private const int MsgTrunc = 0x20;           // MSG_TRUNC in msg_flags
    private const int Eintr = 4;
    private const int Eagain = 11;
    private const int Enomem = 12;
    private const int Enobufs = 105;
    private const int Econnrefused = 111;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static unsafe partial int RecvMMsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static unsafe partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);

    /// <returns>False when the batched path cannot run here and the portable loop must take over.</returns>
    private unsafe bool BatchedUdpWorker(Socket socket, CancellationToken cancellationToken)
    {
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        var requests = (byte*)NativeMemory.Alloc(BatchSize * BatchRequestBytes);
        var responses = (byte*)NativeMemory.Alloc(BatchSize * BatchResponseBytes);
        var names = (byte*)NativeMemory.Alloc(BatchSize * SockaddrBytes);
        var receiveIov = (IoVec*)NativeMemory.Alloc(BatchSize, (nuint)sizeof(IoVec));
        var sendIov = (IoVec*)NativeMemory.Alloc(BatchSize, (nuint)sizeof(IoVec));
        var received = (MMsgHdr*)NativeMemory.AllocZeroed(BatchSize, (nuint)sizeof(MMsgHdr));
        var outgoing = (MMsgHdr*)NativeMemory.AllocZeroed(BatchSize, (nuint)sizeof(MMsgHdr));
        try
        {
            // The descriptor stays valid while referenced: a socket closed by DisposeAsync is only released
            // here, once the receive timeout has let this thread see the stop request.
            var fd = (int)handle.DangerousGetHandle();
            while (!cancellationToken.IsCancellationRequested)
            {
                for (var i = 0; i < BatchSize; i++)
                {
                    receiveIov[i] = new IoVec { Base = requests + (i * BatchRequestBytes), Length = BatchRequestBytes };
                    received[i].Header = new MsgHdr { Name = names + (i * SockaddrBytes), NameLength = SockaddrBytes, Iov = receiveIov + i, IovLength = 1 };
                    received[i].Length = 0;
                }

                var count = RecvMMsg(fd, received, BatchSize, MsgWaitForOne, null);
                if (count < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error is Eintr or Eagain or Econnrefused)
                    {
                        continue; // a signal, the stop-check timeout, or an ICMP error from an earlier send
                    }

                    if (error is Enomem or Enobufs)
                    {
                        cancellationToken.WaitHandle.WaitOne(BackOffDelay);
                        continue;
                    }

                    return cancellationToken.IsCancellationRequested; // unexpected: let the portable loop decide
                }

                var answers = 0;
                for (var i = 0; i < count; i++)
                {
                    var request = new ReadOnlySpan<byte>(requests + (i * BatchRequestBytes), (int)received[i].Length);
                    if ((received[i].Header.Flags & MsgTrunc) != 0)
                    {
                        continue;
                    }

                    if (ForTransfers(request))
                    {
                        var peer = new SocketAddress(socket.AddressFamily, (int)received[i].Header.NameLength);
                        new ReadOnlySpan<byte>(names + (i * SockaddrBytes), (int)received[i].Header.NameLength).CopyTo(peer.Buffer.Span);
                        ServeTransferUdp(socket, request.ToArray(), peer);
                        continue;
                    }

                    var started = _time.GetTimestamp();
                    var response = new Span<byte>(responses + (i * BatchResponseBytes), BatchResponseBytes);
                    var address = ClientAddress(new ReadOnlySpan<byte>(names + (i * SockaddrBytes), (int)received[i].Header.NameLength));
                    var length = _engine.Answer(request, response, overUdp: true, address, out var outcome);
                    if (length == 0)
                    {
                        continue;
                    }

                    _options.Observer?.Answered(outcome, _time.GetElapsedTime(started));
                    length = RateLimit(address, response, length, outcome);
                    if (length == 0)
                    {
                        continue;
                    }

                    sendIov[answers] = new IoVec { Base = responses + (i * BatchResponseBytes), Length = (nuint)length };
                    outgoing[answers].Header = new MsgHdr { Name = received[i].Header.Name, NameLength = received[i].Header.NameLength, Iov = sendIov + answers, IovLength = 1 };
                    answers++;
                }

                SendAll(fd, outgoing, answers);
            }

            return true;
        }
        finally
        {
            NativeMemory.Free(requests);
            NativeMemory.Free(responses);
            NativeMemory.Free(names);
            NativeMemory.Free(receiveIov);
            NativeMemory.Free(sendIov);
            NativeMemory.Free(received);
            NativeMemory.Free(outgoing);
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Sends every answer of a batch; a datagram the kernel refuses (ICMP error, no buffer) is skipped, as a lost UDP answer is.</summary>
    private unsafe void SendAll(int fd, MMsgHdr* messages, int count)
    {
        var sent = 0;
        while (sent < count)
        {
            var result = SendMMsg(fd, messages + sent, (uint)(count - sent), 0);
            if (result > 0)
            {
                sent += result;
                Interlocked.Add(ref _answered, result);
            }
            else if (Marshal.GetLastPInvokeError() != Eintr)
            {
                sent++;
            }
        }
    }
}
