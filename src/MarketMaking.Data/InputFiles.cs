namespace MarketMaking.Data;

using MarketMaking.Core;

/// <summary>Checks shared by every reader: the path names a readable, non-empty file.</summary>
public static class InputFiles
{
    public static void RequireFile(string path, string field)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException("no file given", field: field);
        }
        if (Directory.Exists(path))
        {
            throw new InputException("is a directory, expected a file", path, field: field);
        }
        if (!File.Exists(path))
        {
            throw new InputException("file not found", path, field: field);
        }
    }
}
