using MarketMaking.Charts.Drawing;

namespace MarketMaking.Charts.Tests;

public class FreshPagesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1_000_003)]
    [InlineData(3_000_001)] // 12 MB: several whole 2 MB huge pages inside
    public void Allocate_AnyLength_ZeroedPinnedAndWritable(int length)
    {
        // Given / When: a buffer from fresh pages (megabytes for the largest: the pages are mapped in advance, as huge pages where whole ones fit)
        var floats = FreshPages.Allocate<float>(length);

        // Then it has the length asked for, every value is zero, it does not move, and every value can be written
        floats.Should().HaveCount(length);
        floats.Should().NotContain(v => v != 0);
        GC.GetGeneration(floats).Should().Be(GC.MaxGeneration, "a pinned array lives on the pinned object heap");
        for (var i = 0; i < length; i++) floats[i] = i;
        for (var i = 0; i < length; i += 4093) floats[i].Should().Be(i);
    }

    [Fact]
    public void Allocate_AfterGarbageOfTheSameSize_StillZeroed()
    {
        // Given a pinned buffer written all over, then dropped and collected (its pages may be handed out again)
        var used = FreshPages.Allocate<byte>(4 << 20);
        Array.Fill(used, (byte)0xAB);
        used = null;
        GC.Collect();

        // When another buffer of that size is allocated
        var fresh = FreshPages.Allocate<byte>(4 << 20);

        // Then it is zeroed all the same (populating pages keeps their contents; the runtime zeroes reused memory)
        fresh.Should().OnlyContain(v => v == 0);
        used.Should().BeNull();
    }
}
