using System.Runtime.Intrinsics;
using MarketMaking.Core.Backtest;
using MarketMaking.Core.Random;

namespace MarketMaking.Core.Tests.Random;

public class VectorXoshiroTests
{
    [Fact]
    public void Next_EightLanes_EachLaneIsItsScalarStream()
    {
        // Given eight independent scalar streams and the same states split by word into vectors
        var scalar = new Xoshiro256StarStar[8];
        var words = new ulong[4][];
        for (var w = 0; w < 4; w++) words[w] = new ulong[8];
        for (var lane = 0; lane < 8; lane++)
        {
            scalar[lane] = Xoshiro256StarStar.ForStream(2027, (ulong)lane, 7);
            scalar[lane].ExportState(out words[0][lane], out words[1][lane], out words[2][lane], out words[3][lane]);
        }
        var s0 = Vector512.Create(words[0]);
        var s1 = Vector512.Create(words[1]);
        var s2 = Vector512.Create(words[2]);
        var s3 = Vector512.Create(words[3]);

        // When both generate 1000 outputs
        for (var i = 0; i < 1000; i++)
        {
            var draw = VectorXoshiro.Next(ref s0, ref s1, ref s2, ref s3);

            // Then every lane equals its scalar generator, output for output
            for (var lane = 0; lane < 8; lane++) draw[lane].Should().Be(scalar[lane].NextUInt64(), $"lane {lane}, output {i}");
        }
    }

    [Fact]
    public void UniformPair_AnyDraw_IsTheTwoWordsOverTwoToThe32()
    {
        // Given draws at the edges (all zeros, all ones, one word set) and random ones
        var rng = new Xoshiro256StarStar(5);
        var draws = new ulong[] { 0, ulong.MaxValue, 0xFFFFFFFF00000000UL, 0x00000000FFFFFFFFUL, 1UL << 32, 1, rng.NextUInt64(), rng.NextUInt64() };

        // When split into two uniforms
        VectorXoshiro.UniformPair(Vector512.Create(draws), out var high, out var low);

        // Then each is its 32-bit word times 2^-32 exactly, so in [0, 1)
        for (var lane = 0; lane < 8; lane++)
        {
            high[lane].Should().Be((draws[lane] >> 32) / 4294967296.0);
            low[lane].Should().Be((draws[lane] & 0xFFFFFFFFUL) / 4294967296.0);
            high[lane].Should().BeInRange(0.0, 1.0 - 1.0 / 4294967296.0);
        }
    }

    [Theory]
    [InlineData(1UL, 0L, 256, 1UL)]
    [InlineData(1UL, 199_936L, 64, 2UL)]
    [InlineData(42UL, 3L, 13, 7UL)]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL, 4_294_967_290L, 17, 0UL)]
    [InlineData(7UL, 5L, 0, 1UL)]
    public void ForStreams_EightAtATime_SameWordsAsTheScalarForStream(ulong seed, long firstPath, int count, ulong substream)
    {
        // Given the words of `count` consecutive streams from the vector seeding (a remainder past the last eight included)
        var w = new ulong[4][];
        for (var k = 0; k < 4; k++) w[k] = new ulong[count];
        VectorXoshiro.ForStreams(seed, firstPath, substream, w[0], w[1], w[2], w[3]);

        // Then each lane's words are those of ForStream(seed, path, substream)
        for (var lane = 0; lane < count; lane++)
        {
            Xoshiro256StarStar.ForStream(seed, (ulong)(firstPath + lane), substream).ExportState(out var s0, out var s1, out var s2, out var s3);
            new[] { w[0][lane], w[1][lane], w[2][lane], w[3][lane] }.Should().Equal(s0, s1, s2, s3);
        }
    }

    [Fact]
    public void ForStreams_WordSpansOfDifferentLengths_Throws()
    {
        var act = () => VectorXoshiro.ForStreams(1, 0, 1, new ulong[8], new ulong[8], new ulong[7], new ulong[8]);

        act.Should().Throw<ArgumentException>();
    }
}

public class GrowableBufferTests
{
    [Fact]
    public void Add_BeyondCapacity_KeepsEveryItemInOrder()
    {
        // Given an empty buffer
        var buffer = new GrowableBuffer<int>();

        // When 1000 items are added (several doublings), then it is cleared with room for 2000 and refilled past that
        for (var i = 0; i < 1000; i++) buffer.Add(i);
        buffer.AsSpan().ToArray().Should().Equal(Enumerable.Range(0, 1000));
        buffer.ClearWithCapacity(2000);
        buffer.Count.Should().Be(0);
        for (var i = 0; i < 2500; i++) buffer.Add(-i);

        // Then the span holds exactly what was added since the clear
        buffer.AsSpan().ToArray().Should().Equal(Enumerable.Range(0, 2500).Select(i => -i));
    }
}
