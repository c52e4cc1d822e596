from django.db import migrations


def load(apps, schema_editor):
    from zhaoshang.projects.countries import COUNTRIES

    Country = apps.get_model("projects", "Country")
    for code, name, name_en, is_hmt in COUNTRIES:
        Country.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "is_hmt": is_hmt})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
