using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StorageServer.Data.Entities;

namespace StorageServer.Erasure.Data;

internal sealed class ErasureRequestConfiguration : IEntityTypeConfiguration<ErasureRequest>
{
    public void Configure(EntityTypeBuilder<ErasureRequest> builder)
    {
        builder.ToTable("erasure_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(40);
        builder.Property(r => r.SubjectHash).HasMaxLength(64);
        builder.HasIndex(r => r.State);
        builder.HasIndex(r => r.SubjectHash);
    }
}

internal sealed class ErasureItemConfiguration : IEntityTypeConfiguration<ErasureItem>
{
    public void Configure(EntityTypeBuilder<ErasureItem> builder)
    {
        builder.ToTable("erasure_items");
        builder.HasKey(i => new { i.RequestId, i.Oid });
        builder.Property(i => i.RequestId).HasMaxLength(40);
        builder.Property(i => i.Oid).HasMaxLength(64);
        builder.Property(i => i.SuccessorOid).HasMaxLength(64);
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(i => i.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubjectTagConfiguration : IEntityTypeConfiguration<SubjectTag>
{
    public void Configure(EntityTypeBuilder<SubjectTag> builder)
    {
        builder.ToTable("erasure_subject_tags");
        builder.HasKey(t => new { t.SubjectHash, t.Oid });
        builder.Property(t => t.SubjectHash).HasMaxLength(64);
        builder.Property(t => t.Oid).HasMaxLength(64);
    }
}

internal sealed class SubjectPathRuleConfiguration : IEntityTypeConfiguration<SubjectPathRule>
{
    public void Configure(EntityTypeBuilder<SubjectPathRule> builder)
    {
        builder.ToTable("erasure_path_rules");
        builder.Property(r => r.Pattern).HasMaxLength(1024);
        builder.HasIndex(r => new { r.RepositoryId, r.Pattern }).IsUnique();
        builder.HasOne<Repository>().WithMany().HasForeignKey(r => r.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ErasureTombstoneConfiguration : IEntityTypeConfiguration<ErasureTombstone>
{
    public void Configure(EntityTypeBuilder<ErasureTombstone> builder)
    {
        builder.ToTable("erasure_tombstones");
        builder.HasKey(t => t.OidHash);
        builder.Property(t => t.OidHash).HasMaxLength(64);
        builder.Property(t => t.RequestId).HasMaxLength(40);
    }
}

internal sealed class ErasureReceiptConfiguration : IEntityTypeConfiguration<ErasureReceipt>
{
    public void Configure(EntityTypeBuilder<ErasureReceipt> builder)
    {
        builder.ToTable("erasure_receipts");
        builder.HasKey(r => r.RequestId);
        builder.Property(r => r.RequestId).HasMaxLength(40);
        builder.HasOne<ErasureRequest>().WithOne().HasForeignKey<ErasureReceipt>(r => r.RequestId).OnDelete(DeleteBehavior.Restrict);
    }
}
