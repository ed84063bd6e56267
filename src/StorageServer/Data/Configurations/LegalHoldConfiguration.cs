using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StorageServer.Data.Entities;

namespace StorageServer.Data.Configurations;

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> builder)
    {
        builder.ToTable("legal_holds");
        builder.Property(h => h.CaseReference).HasMaxLength(200);
        builder.Property(h => h.PathGlob).HasMaxLength(1024);
        builder.Property(h => h.Oid).HasMaxLength(64);
        builder.HasIndex(h => h.ReleasedAt);
        builder.HasOne<Repository>().WithMany().HasForeignKey(h => h.RepositoryId).OnDelete(DeleteBehavior.Restrict);
    }
}
