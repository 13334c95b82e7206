"""API shapes of the wellbeing counts: numbers only, never a name, note or score."""

from rest_framework import serializers


class LevelCountSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="预警等级名称，如“重点关注”")
    files = serializers.IntegerField(min_value=0)


class SchoolCountsSerializer(serializers.Serializer):
    school = serializers.IntegerField(help_text="学校 id")
    school_name = serializers.CharField()
    files = serializers.IntegerField(min_value=0, help_text="心理档案数")
    levels = LevelCountSerializer(many=True)
