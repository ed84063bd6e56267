// `dotnet ef` loads this project's build output to find the server's DbContexts; nothing runs here.
return 0;
