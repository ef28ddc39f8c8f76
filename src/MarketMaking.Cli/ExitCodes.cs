namespace MarketMaking.Cli;

/// <summary>The tool's exit codes, as the README lists them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad data or a failed run.</summary>
    public const int Failure = 1;

    /// <summary>Unknown verb or option, bad option value.</summary>
    public const int Usage = 2;
}

/// <summary>A usage error found after parsing (an option combination the parser cannot express): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
